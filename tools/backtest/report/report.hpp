#pragma once
// The report: one JSON document (metadata with the config hash and every data file's
// SHA-256, summary metrics, regression keys, every order, fill and round trip, the
// equity curve) that is byte-identical for the same inputs and seed — nothing in it comes
// from the wall clock or the host — plus an SVG equity/drawdown chart and a one-page HTML
// summary beside it (docs/backtest.md "Report").

#include "tools/backtest/report/metrics.hpp"
#include "tools/backtest/run.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace trader::backtest {

/// Identifies the schema; compare refuses other schemas.
inline constexpr const char* report_schema = "247trader.backtest.report/1";
/// The keys `backtest compare` checks, in report order.
inline constexpr const char* regression_keys[] = {"total_trades", "win_rate_pct", "total_pnl_pct", "max_drawdown_pct",
                                                  "profit_factor"};

/// The report document of a run.
nlohmann::ordered_json make_report(const run_result& r);
/// The equity-curve + drawdown chart (SVG text) of a run.
std::string equity_svg(const run_result& r, int width = 900, int height = 420);
/// The one-page HTML summary (embeds the SVG).
std::string summary_html(const run_result& r, const nlohmann::ordered_json& report);
/// Writes path (the JSON, 2-space indent, trailing newline), path minus ".json" + ".svg"
/// and + ".html"; false with error set when a file cannot be written.
bool write_report(const run_result& r, const std::string& path, std::string& error);
/// A double rounded to 6 decimals (so the report reads the same on every run and is short).
double round6(double x);

} // namespace trader::backtest
