#pragma once
// Walk-forward and out-of-sample: the data range is cut into train (in-sample) and test
// (out-of-sample) windows — one 80/20 split, or k rolling windows sliding by their test
// length — each half run as its own backtest; per-window metrics, the in-sample →
// out-of-sample decay, and the acceptance gates (win rate, profit factor, Sharpe, max
// drawdown, decay) as configurable pass/fail (docs/backtest.md "Walk-forward"). The
// synthetic market is first rendered to 1-minute candles so the windows are one history.

#include "tools/backtest/run.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace CLI { class App; }

namespace trader::backtest {

/// Windows and gates.
struct walk_forward_options {
  std::string mode = "split";      ///< "split" (one train/test cut) or "rolling".
  double train_pct = 80.0;         ///< In-sample share of each window, %; 1..99.
  int windows = 4;                 ///< Rolling windows; 1..100.
  double min_win_rate_pct = 40.0;  ///< Gate: out-of-sample win rate ≥ this.
  double min_profit_factor = 1.2;  ///< Gate: out-of-sample profit factor ≥ this.
  double min_sharpe = 0.5;         ///< Gate: out-of-sample Sharpe ≥ this.
  double max_drawdown_pct = 15.0;  ///< Gate: out-of-sample max drawdown ≤ this.
  double max_decay_pct = 15.0;     ///< Gate: Sharpe decay in-sample → out-of-sample < this.
};

/// One window's range, UNIX s: train [train_from, test_from), test [test_from, test_to).
struct wf_window {
  std::int64_t train_from = 0, test_from = 0, test_to = 0;
};

/// The windows over [from, to).
std::vector<wf_window> make_windows(std::int64_t from, std::int64_t to, const walk_forward_options& o);
/// (in − out) / |in| × 100; nullopt when in ≤ 0 (nothing to decay from).
std::optional<double> decay_pct(double in_sample, double out_of_sample);
/// Per-gate pass/fail of out-of-sample figures (JSON object gate → {value, limit, pass}).
nlohmann::ordered_json gates(const nlohmann::ordered_json& oos_summary, std::optional<double> decay,
                             const walk_forward_options& o, bool& all_pass);

/// Adds --mode, --train-pct, --windows and the gate flags to a CLI subcommand.
void add_walk_forward_options(CLI::App* c, walk_forward_options& o);
/// Runs every window, prints a table, writes the JSON when report is set; exit 0 all gates
/// pass, 1 a gate failed, 2 error.
int cmd_walk_forward(const config::trader_config& cfg, const std::string& config_dir, const std::string& config_hash,
                     run_options o, const walk_forward_options& wo, const std::string& report);

} // namespace trader::backtest
