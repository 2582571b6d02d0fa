// Walk-forward windows, decay and acceptance gates.

#include "tools/backtest/walk_forward.hpp"

#include <gtest/gtest.h>

namespace {

using namespace trader::backtest;

TEST(WalkForward, SplitCutsOneWindowEightyTwenty) {
  walk_forward_options o;
  auto w = make_windows(0, 6000, o);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].train_from, 0);
  EXPECT_EQ(w[0].test_from, 4800);
  EXPECT_EQ(w[0].test_to, 6000);
}

TEST(WalkForward, RollingWindowsSlideByTheirTestLengthAndEndAtTheEnd) {
  walk_forward_options o;
  o.mode = "rolling";
  o.windows = 3;
  // len = 8400 / (1 + 2 × 0.2) = 6000, slide 1200
  auto w = make_windows(0, 8400, o);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].test_from, 4800);
  EXPECT_EQ(w[1].train_from, 1200);
  EXPECT_EQ(w[1].test_from, 6000);
  EXPECT_EQ(w[2].train_from, 2400);
  EXPECT_EQ(w[2].test_to, 8400);
  for (std::size_t i = 1; i < w.size(); ++i)
    EXPECT_EQ(w[i].test_from, w[i - 1].test_to);  // the test windows tile the end of the range
}

TEST(WalkForward, DecayIsRelativeToAPositiveInSampleValue) {
  EXPECT_DOUBLE_EQ(*decay_pct(2.0, 1.5), 25.0);
  EXPECT_DOUBLE_EQ(*decay_pct(1.0, 1.2), -20.0);
  EXPECT_FALSE(decay_pct(0.0, 1.0));
  EXPECT_FALSE(decay_pct(-1.0, 1.0));
}

TEST(WalkForward, GatesPassOnlyWhenEveryLimitHolds) {
  walk_forward_options o;
  nlohmann::ordered_json good{{"win_rate_pct", 55.0}, {"profit_factor", 1.5}, {"sharpe", 1.0}, {"max_drawdown_pct", 5.0}};
  bool pass = false;
  auto g = gates(good, 10.0, o, pass);
  EXPECT_TRUE(pass);
  EXPECT_TRUE(g["oos_decay_pct"]["pass"].get<bool>());
  gates(good, 15.0, o, pass);  // decay must stay below 15 %
  EXPECT_FALSE(pass);
  auto bad = good;
  bad["max_drawdown_pct"] = 20.0;
  g = gates(bad, 1.0, o, pass);
  EXPECT_FALSE(pass);
  EXPECT_FALSE(g["max_drawdown_pct"]["pass"].get<bool>());
  gates(good, std::nullopt, o, pass);
  EXPECT_FALSE(pass);
}

} // namespace
