#include "tools/backtest/report/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace trader::backtest {

double max_drawdown_pct(std::span<const equity_point> nav) {
  double peak = 0, worst = 0;
  for (const auto& p : nav) {
    peak = std::max(peak, p.nav);
    if (peak > 0)
      worst = std::max(worst, (peak - p.nav) / peak * 100.0);
  }
  return worst;
}

std::vector<double> hourly_navs(std::span<const equity_point> nav, double initial) {
  std::vector<double> out{initial};
  std::int64_t hour = nav.empty() ? 0 : nav.front().t / (3600 * ns_per_s);
  double last = initial;
  for (const auto& p : nav) {
    const std::int64_t h = p.t / (3600 * ns_per_s);
    if (h != hour) {
      out.push_back(last);
      hour = h;
    }
    last = p.nav;
  }
  if (!nav.empty())
    out.push_back(last);
  return out;
}

std::vector<double> returns_of(std::span<const double> v) {
  std::vector<double> r;
  for (std::size_t i = 1; i < v.size(); ++i)
    if (v[i - 1] != 0)
      r.push_back(v[i] / v[i - 1] - 1.0);
  return r;
}

double sharpe_ratio(std::span<const double> r, double periods_per_year) {
  if (r.size() < 2)
    return 0;
  const double n = static_cast<double>(r.size());
  const double mean = std::accumulate(r.begin(), r.end(), 0.0) / n;
  double ss = 0;
  for (double x : r)
    ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (n - 1));
  return sd > 0 ? mean / sd * std::sqrt(periods_per_year) : 0;
}

double sortino_ratio(std::span<const double> r, double periods_per_year) {
  if (r.size() < 2)
    return 0;
  const double n = static_cast<double>(r.size());
  const double mean = std::accumulate(r.begin(), r.end(), 0.0) / n;
  double down = 0;
  for (double x : r)
    down += x < 0 ? x * x : 0;
  const double dd = std::sqrt(down / n);
  return dd > 0 ? mean / dd * std::sqrt(periods_per_year) : 0;
}

double profit_factor(std::span<const trade_row> trades) {
  double win = 0, loss = 0;
  for (const auto& t : trades)
    (t.pnl > 0 ? win : loss) += std::abs(t.pnl);
  if (loss == 0)
    return win > 0 ? profit_factor_cap : 0;
  return std::min(win / loss, profit_factor_cap);
}

summary_metrics summarize(const run_record& r, double initial, double final_nav) {
  summary_metrics m;
  m.trades = r.trades.size();
  for (const auto& t : r.trades)
    (t.pnl > 0 ? m.wins : m.losses) += 1;
  m.win_rate_pct = m.trades ? static_cast<double>(m.wins) / static_cast<double>(m.trades) * 100.0 : 0;
  m.total_pnl = final_nav - initial;
  m.total_pnl_pct = initial > 0 ? m.total_pnl / initial * 100.0 : 0;
  std::vector<equity_point> curve;
  curve.reserve(r.equity.size() + 1);
  curve.push_back({r.equity.empty() ? 0 : r.equity.front().t, initial, false});
  curve.insert(curve.end(), r.equity.begin(), r.equity.end());
  m.max_drawdown_pct = max_drawdown_pct(curve);
  m.profit_factor = profit_factor(r.trades);
  const auto hourly = hourly_navs(r.equity, initial);
  const auto rets = returns_of(hourly);
  m.sharpe = sharpe_ratio(rets, 8760.0);
  m.sortino = sortino_ratio(rets, 8760.0);
  std::size_t exposed = 0;
  for (const auto& p : r.equity)
    exposed += p.exposed ? 1 : 0;
  m.exposure_pct = r.equity.empty() ? 0 : static_cast<double>(exposed) / static_cast<double>(r.equity.size()) * 100.0;
  m.fees = r.fees;
  m.turnover = initial > 0 ? r.traded / initial : 0;
  return m;
}

} // namespace trader::backtest
