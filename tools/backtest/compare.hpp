#pragma once
// The regression gate: a report against a baseline on the regression keys (total trades,
// win rate, total PnL %, max drawdown %, profit factor). A key passes when
// |report − baseline| ≤ tolerance × |baseline|, or when both differ by at most 1e-9
// (a zero baseline must stay zero). No CAF.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace trader::backtest {

/// One key's comparison.
struct key_diff {
  std::string key;
  double baseline = 0, report = 0;
  double change_pct = 0;  ///< (report − baseline) / |baseline| × 100; 0 when the baseline is 0.
  bool pass = true;
};

/// The outcome; exit code 0 pass, 1 fail, 2 error (unreadable, wrong schema, missing key).
struct compare_result {
  int exit_code = 2;
  std::string error;
  std::vector<key_diff> keys;
};

/// Compares two report documents.
compare_result compare_reports(const nlohmann::json& baseline, const nlohmann::json& report, double tolerance_pct);
/// Reads both files, then compare_reports.
compare_result compare_files(const std::string& baseline, const std::string& report, double tolerance_pct);
/// "2%", "2", "0.5 %" → 2, 2, 0.5; negative or malformed → -1.
double parse_tolerance(const std::string& text);
/// One line per key, then PASS or FAIL.
std::string render(const compare_result& r, double tolerance_pct);

} // namespace trader::backtest
