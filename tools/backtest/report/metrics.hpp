#pragma once
// Summary metrics of a run, pure functions of the record (docs/backtest.md "Metrics"):
// win rate, total PnL %, max drawdown %, profit factor, Sharpe and Sortino of hourly equity
// returns (annualised with √8760), exposure, turnover. No CAF.

#include "tools/backtest/report/run_record.hpp"

#include <span>

namespace trader::backtest {

/// The summary figures.
struct summary_metrics {
  std::uint64_t trades = 0, wins = 0, losses = 0;
  double win_rate_pct = 0;      ///< wins / trades × 100 (0 without trades).
  double total_pnl = 0;         ///< final NAV − initial cash.
  double total_pnl_pct = 0;     ///< Of the initial cash.
  double max_drawdown_pct = 0;  ///< Largest fall from a running NAV peak, % of the peak.
  double profit_factor = 0;     ///< Gross profit / gross loss; profit_factor_cap without losses (0 without trades).
  double sharpe = 0;            ///< mean / sd of hourly returns × √8760 (0 when sd is 0 or < 2 returns).
  double sortino = 0;           ///< mean / downside deviation × √8760.
  double exposure_pct = 0;      ///< Share of equity samples holding a position.
  double fees = 0;
  double turnover = 0;          ///< Traded notional / initial cash.
};

/// Profit factor reported when there are profits and no losses (JSON has no infinity).
inline constexpr double profit_factor_cap = 999.0;

/// Largest peak-to-trough fall of `nav`, percent of the peak.
double max_drawdown_pct(std::span<const equity_point> nav);
/// Last NAV of each UTC hour (ts / 3600 s), oldest first, starting with `initial`.
std::vector<double> hourly_navs(std::span<const equity_point> nav, double initial);
/// Simple returns of consecutive values.
std::vector<double> returns_of(std::span<const double> v);
/// mean / sample sd × √periods; 0 with fewer than two returns or sd 0.
double sharpe_ratio(std::span<const double> r, double periods_per_year);
/// mean / downside deviation (√(Σ min(r,0)² / n)) × √periods; 0 when no return is negative.
double sortino_ratio(std::span<const double> r, double periods_per_year);
/// Gross profit / gross loss of the trades (see profit_factor_cap).
double profit_factor(std::span<const trade_row> trades);
/// Everything, for a run that started with initial cash and ended at final_nav.
summary_metrics summarize(const run_record& r, double initial, double final_nav);

} // namespace trader::backtest
