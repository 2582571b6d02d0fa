// Summary metrics against hand-computed values.

#include "tools/backtest/report/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using namespace trader;
using namespace trader::backtest;

constexpr ts_ns hour = 3600 * ns_per_s;

TEST(Metrics, MaxDrawdownIsTheLargestFallFromARunningPeak) {
  std::vector<equity_point> nav{{0, 100}, {1, 120}, {2, 90}, {3, 130}, {4, 117}};
  EXPECT_DOUBLE_EQ(max_drawdown_pct(nav), 25.0);  // 120 → 90
}

TEST(Metrics, SharpeAndSortinoOfKnownReturns) {
  std::vector<double> r{0.01, -0.01, 0.02, 0.0};
  // mean 0.005, sample sd = sqrt((0.000025+0.000225+0.000225+0.000025)/3) = sqrt(0.0005/3)
  EXPECT_NEAR(sharpe_ratio(r, 1.0), 0.005 / std::sqrt(0.0005 / 3.0), 1e-12);
  // downside deviation = sqrt(0.0001 / 4) = 0.005
  EXPECT_NEAR(sortino_ratio(r, 4.0), 0.005 / 0.005 * 2.0, 1e-12);
  EXPECT_EQ(sharpe_ratio(std::vector<double>{0.01}, 1.0), 0.0);
  EXPECT_EQ(sortino_ratio(std::vector<double>{0.01, 0.02}, 1.0), 0.0);
}

TEST(Metrics, ProfitFactorIsCappedWithoutLossesAndZeroWithoutTrades) {
  EXPECT_EQ(profit_factor(std::vector<trade_row>{}), 0.0);
  std::vector<trade_row> wins{{"A", "s", "take_profit", 0, 1, 100, 5}};
  EXPECT_EQ(profit_factor(wins), profit_factor_cap);
  wins.push_back({"A", "s", "stop_loss", 1, 2, 100, -2});
  EXPECT_DOUBLE_EQ(profit_factor(wins), 2.5);
}

TEST(Metrics, HourlyNavsKeepTheLastValueOfEachHour) {
  std::vector<equity_point> nav{{0, 100}, {hour / 2, 101}, {hour + 1, 102}, {2 * hour + 5, 99}};
  EXPECT_EQ(hourly_navs(nav, 100), (std::vector<double>{100, 101, 102, 99}));
}

TEST(Metrics, SummarizeCountsWinsFeesTurnoverAndExposure) {
  run_record r;
  r.trades = {{"A", "s", "take_profit", 0, 1, 500, 10}, {"B", "s", "stop_loss", 0, 1, 500, -5},
              {"C", "s", "stop_loss", 0, 1, 500, -5}};
  r.equity = {{0, 1000, false}, {hour, 1010, true}, {2 * hour, 1000, true}, {3 * hour, 1000, false}};
  r.fees = 3;
  r.traded = 2000;
  auto m = summarize(r, 1000, 1000);
  EXPECT_EQ(m.trades, 3u);
  EXPECT_EQ(m.wins, 1u);
  EXPECT_NEAR(m.win_rate_pct, 100.0 / 3.0, 1e-12);
  EXPECT_DOUBLE_EQ(m.profit_factor, 1.0);
  EXPECT_DOUBLE_EQ(m.total_pnl_pct, 0.0);
  EXPECT_DOUBLE_EQ(m.exposure_pct, 50.0);
  EXPECT_DOUBLE_EQ(m.turnover, 2.0);
  EXPECT_NEAR(m.max_drawdown_pct, 10.0 / 1010.0 * 100.0, 1e-12);
}

} // namespace
