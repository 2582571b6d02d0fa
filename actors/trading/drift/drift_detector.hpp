#pragma once
// Drift detection: each strategy's live (or paper) round trips over a rolling window against
// its backtest baseline — win rate degraded ≥ win_rate_drop_pct relative, profit factor down
// ≥ profit_factor_drop_pct relative, per-trade Sharpe down ≥ sharpe_drop, and the two-sample
// Kolmogorov–Smirnov test on trade returns (backtest's ks_two_sample) below ks_alpha. Every
// breached check is a reason; severities:
//   warning  — one or two checks breached;
//   critical — three or more, or the win rate down ≥ 2 × win_rate_drop_pct.
// An alert goes out when a strategy first reaches warning/critical, escalates, or is still
// drifting once alert_cooldown_s (24 h) has passed since its last alert. A critical drift
// asks for the strategy to be disabled when the policy says so. Time is an argument. No CAF.

#include "messages/time.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trader::drift {

/// [drift] of strategies.toml (docs/backtest.md "Drift detection").
struct drift_policy {
  std::size_t window_trades = 30;       ///< Live round trips kept per strategy (rolling); 5..1000.
  std::size_t min_trades = 10;          ///< Fewer live (or baseline) trades: no verdict; 2..window_trades.
  double win_rate_drop_pct = 15.0;      ///< Relative fall of the win rate that breaches; 1..100.
  double profit_factor_drop_pct = 30.0; ///< Relative fall of the profit factor that breaches; 1..100.
  double sharpe_drop = 0.5;             ///< Absolute fall of the per-trade Sharpe that breaches; 0.01..10.
  double ks_alpha = 0.05;               ///< KS p-value below which the return distributions differ; 0.0001..0.5.
  std::int64_t alert_cooldown_s = 86'400;  ///< Quiet time per strategy between alerts of one severity; 0..30 days.
  bool disable_on_critical = false;     ///< A critical drift disables the strategy.
};

/// Range violations of p ("drift.window_trades: 3 not in 5..1000"), empty when valid.
std::vector<std::string> validate(const drift_policy& p);

enum class drift_severity { none, warning, critical };
std::string_view name(drift_severity s);

/// Statistics of a sample of round-trip returns (percent of the entry value).
struct trade_stats {
  std::size_t trades = 0;
  double win_rate_pct = 0;     ///< Share of returns > 0.
  double profit_factor = 0;    ///< Σ gains / Σ |losses|; 999 with gains and no loss; 0 without gains.
  double sharpe = 0;           ///< mean / sample sd of the returns (per trade, not annualised); 0 when sd = 0.
};
trade_stats stats_of(const std::vector<double>& returns_pct);

/// A strategy's backtest reference: its round-trip returns.
struct strategy_baseline {
  std::string strategy;
  std::vector<double> returns_pct;
};

/// Baselines by strategy from a backtest report (`trades[].strategy`, `trades[].pnl_pct`),
/// or an error naming what is wrong with the text.
struct baseline_load {
  std::vector<strategy_baseline> baselines;
  std::string error;  ///< Empty on success.
};
baseline_load baselines_from_report(std::string_view report_json);

/// One strategy's state after an evaluation.
struct drift_finding {
  std::string strategy;
  drift_severity level = drift_severity::none;
  std::vector<std::string> reasons;  ///< One per breached check, or why there is no verdict.
  trade_stats live, base;
  double ks_d = 0, ks_p = 1;
  bool ready = false;      ///< Enough live and baseline trades for a verdict.
  bool alert = false;      ///< Send an alert now (new, escalated, or past the cooldown).
  bool disable = false;    ///< Critical and the policy disables on critical.
  ts_ns last_alert = 0;    ///< When this strategy's last alert went out (0 = never).
};

class drift_detector {
public:
  drift_detector(const drift_policy& p, std::vector<strategy_baseline> baselines);

  /// A closed live round trip of `strategy` (return in percent of its entry value).
  void on_trade(const std::string& strategy, double return_pct);
  /// Every strategy with a baseline or live trades, evaluated at `now`; alerts are marked
  /// (and their cooldown started) here, so call once per evaluation.
  std::vector<drift_finding> evaluate(ts_ns now);
  /// The newest findings (traderctl drift), as JSON.
  std::string status_json() const;
  const drift_policy& policy() const { return p_; }

private:
  drift_finding judge(const std::string& strategy) const;

  struct alerted {
    drift_severity level = drift_severity::none;
    ts_ns at = 0;
  };
  drift_policy p_;
  std::map<std::string, std::vector<double>> base_;
  std::map<std::string, std::deque<double>> live_;
  std::map<std::string, alerted> alerted_;
  std::vector<drift_finding> last_;
  ts_ns last_at_ = 0;
};

} // namespace trader::drift
