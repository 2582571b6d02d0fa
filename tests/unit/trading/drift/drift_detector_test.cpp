// Drift detection: each check breaches on its own, severities, the 24 h cooldown, escalation,
// disable-on-critical, and baselines read from a backtest report.

#include "actors/trading/drift/drift_detector.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace {

using namespace trader;
using namespace trader::drift;

constexpr ts_ns hour = 3600 * ns_per_s;

/// n returns: `wins` of them +win, the rest -loss, interleaved deterministically.
std::vector<double> sample(std::size_t n, std::size_t wins, double win, double loss) {
  std::vector<double> r;
  for (std::size_t i = 0; i < n; ++i)
    r.push_back((i * wins) / n != ((i + 1) * wins) / n ? win + 0.01 * static_cast<double>(i % 7) : -loss);
  return r;
}

drift_detector detector(drift_policy p, std::vector<double> base) {
  return drift_detector{p, {{"momentum", std::move(base)}}};
}

void feed(drift_detector& d, const std::vector<double>& r) {
  for (double x : r)
    d.on_trade("momentum", x);
}

drift_finding only(const std::vector<drift_finding>& v) {
  EXPECT_EQ(v.size(), 1u);
  return v.empty() ? drift_finding{} : v.front();
}

TEST(DriftStats, WinRateProfitFactorAndSharpeOfASample) {
  auto s = stats_of({2.0, -1.0, 3.0, -1.0});
  EXPECT_EQ(s.trades, 4u);
  EXPECT_DOUBLE_EQ(s.win_rate_pct, 50.0);
  EXPECT_DOUBLE_EQ(s.profit_factor, 2.5);
  // mean 0.75, sample sd sqrt((1.25² + 1.75² + 2.25² + 1.75²) / 3) = sqrt(12.75 / 3)
  EXPECT_NEAR(s.sharpe, 0.75 / std::sqrt(12.75 / 3.0), 1e-12);
  EXPECT_DOUBLE_EQ(stats_of({1.0, 2.0}).profit_factor, 999.0);
  EXPECT_DOUBLE_EQ(stats_of({-1.0}).profit_factor, 0.0);
}

TEST(DriftDetector, LiveResultsLikeTheBaselineRaiseNothing) {
  auto base = sample(40, 24, 2.0, 1.0);
  auto d = detector({}, base);
  feed(d, sample(30, 18, 2.0, 1.0));
  const auto f = only(d.evaluate(hour));
  EXPECT_TRUE(f.ready);
  EXPECT_EQ(f.level, drift_severity::none) << (f.reasons.empty() ? "" : f.reasons.front());
  EXPECT_FALSE(f.alert);
}

TEST(DriftDetector, FewerLiveTradesThanMinTradesGiveNoVerdict) {
  auto d = detector({}, sample(40, 24, 2.0, 1.0));
  feed(d, sample(9, 0, 2.0, 1.0));  // all losses, but only 9 of min_trades 10
  const auto f = only(d.evaluate(hour));
  EXPECT_FALSE(f.ready);
  EXPECT_EQ(f.level, drift_severity::none);
  ASSERT_FALSE(f.reasons.empty());
  EXPECT_EQ(f.reasons.front().rfind("warming_up", 0), 0u);
}

TEST(DriftDetector, AWinRateFifteenPercentLowerRelativeIsAWarning) {
  drift_policy p;
  p.profit_factor_drop_pct = 100;  // only the win-rate check can breach
  p.sharpe_drop = 10;
  p.ks_alpha = 0.0001;
  auto d = detector(p, sample(40, 24, 2.0, 1.0));  // 60 %
  feed(d, sample(20, 10, 2.0, 1.0));               // 50 %: −16.7 % relative
  const auto f = only(d.evaluate(hour));
  EXPECT_EQ(f.level, drift_severity::warning);
  ASSERT_EQ(f.reasons.size(), 1u);
  EXPECT_EQ(f.reasons.front().rfind("win_rate", 0), 0u);
  EXPECT_TRUE(f.alert);
}

TEST(DriftDetector, AWinRateFourteenPercentLowerRelativeIsNotDrift) {
  drift_policy p;
  p.profit_factor_drop_pct = 100;
  p.sharpe_drop = 10;
  p.ks_alpha = 0.0001;
  auto d = detector(p, sample(50, 35, 2.0, 1.0));  // 70 %
  feed(d, sample(50, 31, 2.0, 1.0));               // 62 %: −11.4 % relative
  EXPECT_EQ(only(d.evaluate(hour)).level, drift_severity::none);
}

TEST(DriftDetector, AReturnDistributionThatMovedFailsTheKsTest) {
  drift_policy p;
  p.win_rate_drop_pct = 100;
  p.profit_factor_drop_pct = 100;
  p.sharpe_drop = 10;
  std::vector<double> base, live;
  for (int i = 0; i < 30; ++i) {
    base.push_back(i);       // 0 .. 29
    live.push_back(15 + i);  // 15 .. 44: no worse on win rate, PF or Sharpe, but shifted
  }
  auto d = detector(p, base);
  feed(d, live);
  const auto f = only(d.evaluate(hour));
  EXPECT_EQ(f.level, drift_severity::warning);
  EXPECT_NEAR(f.ks_d, 0.5, 1e-12);  // 15 of 30 live values are above every baseline value
  EXPECT_LT(f.ks_p, 0.05);
  ASSERT_EQ(f.reasons.size(), 1u);
  EXPECT_EQ(f.reasons.front().rfind("ks:", 0), 0u);
}

TEST(DriftDetector, ALosingStreakIsCriticalAndDisablesWhenThePolicySays) {
  drift_policy p;
  p.disable_on_critical = true;
  auto d = detector(p, sample(40, 24, 2.0, 1.0));
  feed(d, sample(20, 4, 2.0, 1.0));  // 20 % wins
  const auto f = only(d.evaluate(hour));
  EXPECT_EQ(f.level, drift_severity::critical);
  EXPECT_GE(f.reasons.size(), 3u);
  EXPECT_TRUE(f.alert);
  EXPECT_TRUE(f.disable);
  p.disable_on_critical = false;
  auto e = detector(p, sample(40, 24, 2.0, 1.0));
  feed(e, sample(20, 4, 2.0, 1.0));
  EXPECT_FALSE(only(e.evaluate(hour)).disable);
}

TEST(DriftDetector, AnAlertIsRepeatedOnlyAfterTheCooldownOrOnEscalation) {
  drift_policy p;
  p.profit_factor_drop_pct = 100;
  p.sharpe_drop = 10;
  p.ks_alpha = 0.0001;
  auto d = detector(p, sample(40, 24, 2.0, 1.0));
  feed(d, sample(20, 10, 2.0, 1.0));  // warning
  EXPECT_TRUE(only(d.evaluate(hour)).alert);
  EXPECT_FALSE(only(d.evaluate(2 * hour)).alert);
  EXPECT_FALSE(only(d.evaluate(hour + 24 * hour - 1)).alert);
  EXPECT_TRUE(only(d.evaluate(hour + 24 * hour)).alert);  // 24 h after the first
  EXPECT_FALSE(only(d.evaluate(26 * hour)).alert);
  feed(d, sample(20, 2, 2.0, 1.0));  // the window (30) now holds 7 wins of 30: critical
  const auto f = only(d.evaluate(27 * hour));
  EXPECT_EQ(f.level, drift_severity::critical);
  EXPECT_TRUE(f.alert);  // escalation does not wait for the cooldown
  EXPECT_EQ(f.last_alert, 27 * hour);
}

TEST(DriftDetector, TheWindowKeepsTheNewestTrades) {
  drift_policy p;
  p.window_trades = 10;
  auto d = detector(p, sample(40, 24, 2.0, 1.0));
  feed(d, sample(10, 0, 2.0, 1.0));  // ten losses, then ten trades like the baseline
  feed(d, sample(10, 6, 2.0, 1.0));
  const auto f = only(d.evaluate(hour));
  EXPECT_EQ(f.live.trades, 10u);
  EXPECT_DOUBLE_EQ(f.live.win_rate_pct, 60.0);
}

TEST(DriftDetector, BaselinesComeFromABacktestReportsTrades) {
  auto b = baselines_from_report(
    R"({"schema":"247trader.backtest.report/1","trades":[{"strategy":"momentum","pnl_pct":1.5},)"
    R"({"strategy":"breakout","pnl_pct":-0.5},{"strategy":"momentum","pnl_pct":-1.0}]})");
  ASSERT_TRUE(b.error.empty()) << b.error;
  ASSERT_EQ(b.baselines.size(), 2u);
  EXPECT_EQ(b.baselines[0].strategy, "breakout");
  EXPECT_EQ(b.baselines[1].returns_pct, (std::vector<double>{1.5, -1.0}));
  EXPECT_FALSE(baselines_from_report("not json").error.empty());
  EXPECT_FALSE(baselines_from_report(R"({"trades":[{"strategy":"x"}]})").error.empty());
}

TEST(DriftPolicy, DefaultsAreValidAndRangesAreChecked) {
  EXPECT_TRUE(validate(drift_policy{}).empty());
  drift_policy p;
  p.window_trades = 3;
  p.ks_alpha = 0.9;
  auto v = validate(p);
  ASSERT_EQ(v.size(), 3u);  // window_trades, min_trades > window, ks_alpha
  EXPECT_EQ(v[0].rfind("drift.window_trades", 0), 0u);
}

} // namespace
