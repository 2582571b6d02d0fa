// The universe's automatic red flags (issue 14): bad_ticks, wide_spread and status, each
// triggering and not, and what a flag does to the rule state.

#include "actors/trading/universe/red_flags.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::universe;

namespace {

constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;
constexpr ts_ns sec = ns_per_s;
constexpr ts_ns hour = 3600 * ns_per_s;

const std::vector<std::string> tiers = {"BTC-USD", "ETH-USD"};

struct RedFlags : ::testing::Test {
  std::map<std::string, signals::market_facts> facts;
  std::map<std::string, signals::ban> bans;
  std::vector<std::string> excluded;
  double max_spread_bps = 50;

  std::vector<red_flag> cycle(red_flag_monitor& m, ts_ns now) {
    return m.evaluate(tiers, facts, max_spread_bps, excluded, bans, now);
  }
  void spread(const std::string& p, double bps) { facts[p].spread_bps = bps; }
};

TEST_F(RedFlags, BadTicksFlagAtTheCountWithinTheWindow) {
  red_flag_monitor m;  // 5 within 3600 s, 24 h
  for (int i = 0; i < 4; ++i)
    m.on_held_quote("BTC-USD", t0 + i * 60 * sec);
  EXPECT_TRUE(cycle(m, t0 + 300 * sec).empty());  // 4 < 5
  m.on_held_quote("BTC-USD", t0 + 400 * sec);
  auto f = cycle(m, t0 + 500 * sec);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].product, "BTC-USD");
  EXPECT_EQ(f[0].rule, "bad_ticks");
  EXPECT_EQ(f[0].hours, 24.0);
  EXPECT_EQ(f[0].figures, "held=5 within 3600 s (limit 5)");
  auto b = f[0].to_ban(t0 + 500 * sec);
  EXPECT_EQ(b.until, t0 + 500 * sec + 24 * hour);
  EXPECT_EQ(b.reason, "red_flag bad_ticks: held=5 within 3600 s (limit 5)");
  EXPECT_EQ(m.held_in_window("BTC-USD", t0 + 500 * sec), 0u);  // a flag forgets what raised it
}

TEST_F(RedFlags, BadTicksSpreadOverMoreThanTheWindowDoNotFlag) {
  red_flag_monitor m;
  for (int i = 0; i < 10; ++i)  // one every 20 min: at most 3 inside any hour
    m.on_held_quote("ETH-USD", t0 + i * 1200 * sec);
  EXPECT_TRUE(cycle(m, t0 + 10 * 1200 * sec).empty());
  EXPECT_LE(m.held_in_window("ETH-USD", t0 + 10 * 1200 * sec), 3u);
}

TEST_F(RedFlags, WideSpreadFlagsAfterMConsecutiveCycles) {
  red_flag_params p;
  p.wide_spread_multiple = 3;
  p.wide_spread_cycles = 3;
  red_flag_monitor m(p);
  spread("ETH-USD", 151);  // > 3 x 50
  EXPECT_TRUE(cycle(m, t0).empty());
  EXPECT_TRUE(cycle(m, t0 + 60 * sec).empty());
  auto f = cycle(m, t0 + 120 * sec);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "wide_spread");
  EXPECT_EQ(f[0].hours, 6.0);
  EXPECT_EQ(f[0].figures, "spread_bps=151.0 > 150.0 (3.0 x max_spread_bps) for 3 cycles");
}

TEST_F(RedFlags, WideSpreadNeedsConsecutiveCyclesAndALimit) {
  red_flag_monitor m;
  spread("ETH-USD", 200);
  EXPECT_TRUE(cycle(m, t0).empty());
  EXPECT_TRUE(cycle(m, t0 + 60 * sec).empty());
  spread("ETH-USD", 150);  // not above 3 x 50: the run restarts
  EXPECT_TRUE(cycle(m, t0 + 120 * sec).empty());
  EXPECT_EQ(m.wide_cycles("ETH-USD"), 0);
  spread("ETH-USD", 200);
  EXPECT_TRUE(cycle(m, t0 + 180 * sec).empty());
  EXPECT_TRUE(cycle(m, t0 + 240 * sec).empty());
  EXPECT_EQ(m.wide_cycles("ETH-USD"), 2);

  max_spread_bps = 0;  // no eligibility limit: nothing to compare with, the rule is off
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(cycle(m, t0 + (300 + i) * sec).empty());
  facts.clear();  // no quote at all: not wide
  max_spread_bps = 50;
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(cycle(m, t0 + (400 + i) * sec).empty());
}

TEST_F(RedFlags, StatusFlagsAChangeToCancelOnlyOfflineOrDelisted) {
  for (auto bad : {product_state::cancel_only, product_state::offline, product_state::delisted}) {
    red_flag_monitor m;
    m.on_status("BTC-USD", product_state::online);
    EXPECT_TRUE(cycle(m, t0).empty());
    m.on_status("BTC-USD", bad);
    m.on_status("BTC-USD", product_state::online);  // back before the cycle: still flagged
    auto f = cycle(m, t0 + 60 * sec);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].rule, "status");
    EXPECT_EQ(f[0].figures, "state=" + std::string(to_string(bad)));
    EXPECT_EQ(f[0].hours, 24.0);
  }
}

TEST_F(RedFlags, StatusDoesNotFlagOtherStatesOrTheSameStateAgain) {
  red_flag_monitor m;
  m.on_status("BTC-USD", product_state::post_only);
  m.on_status("BTC-USD", product_state::limit_only);
  EXPECT_TRUE(cycle(m, t0).empty());
  m.on_status("ETH-USD", product_state::offline);
  EXPECT_EQ(cycle(m, t0 + sec).size(), 1u);
  m.on_status("ETH-USD", product_state::offline);  // repeated by the next product refresh
  m.on_status("ETH-USD", product_state::delisted);  // flagged to flagged: no new change
  EXPECT_TRUE(cycle(m, t0 + 2 * sec).empty());
}

TEST_F(RedFlags, ARuleWithZeroBanHoursIsOff) {
  red_flag_params p;
  p.bad_ticks_ban_hours = 0;
  p.wide_spread_ban_hours = 0;
  p.status_ban_hours = 0;
  red_flag_monitor m(p);
  for (int i = 0; i < 10; ++i)
    m.on_held_quote("BTC-USD", t0 + i * sec);
  m.on_status("BTC-USD", product_state::delisted);
  spread("ETH-USD", 1000);
  for (int i = 0; i < 5; ++i)
    EXPECT_TRUE(cycle(m, t0 + (20 + i) * sec).empty());
}

TEST_F(RedFlags, ABannedOrExcludedProductIsNotFlaggedAgain) {
  red_flag_monitor m;
  bans["BTC-USD"] = signals::ban{t0 + hour, "operator ban"};
  excluded = {"ETH-USD"};
  for (int i = 0; i < 5; ++i) {
    m.on_held_quote("BTC-USD", t0 + i * sec);
    m.on_held_quote("ETH-USD", t0 + i * sec);
  }
  EXPECT_TRUE(cycle(m, t0 + 10 * sec).empty());
  bans.clear();  // the ban ended: what was held while it ran does not count
  EXPECT_TRUE(cycle(m, t0 + hour + sec).empty());
  EXPECT_EQ(m.held_in_window("BTC-USD", t0 + hour + sec), 0u);
}

TEST_F(RedFlags, OneFlagPerProductTheFirstRuleWins) {
  red_flag_monitor m;
  for (int i = 0; i < 5; ++i)
    m.on_held_quote("BTC-USD", t0 + i * sec);
  m.on_status("BTC-USD", product_state::offline);
  m.on_status("ETH-USD", product_state::offline);
  auto f = cycle(m, t0 + 10 * sec);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].product, "BTC-USD");
  EXPECT_EQ(f[0].rule, "bad_ticks");
  EXPECT_EQ(f[1].product, "ETH-USD");
  EXPECT_EQ(f[1].rule, "status");
  EXPECT_TRUE(cycle(m, t0 + 20 * sec).empty());  // raised once
}

TEST_F(RedFlags, AReloadThatSwitchesARuleOffForgetsItsState) {
  red_flag_monitor m;
  for (int i = 0; i < 5; ++i)
    m.on_held_quote("BTC-USD", t0 + i * sec);
  auto p = m.params();
  p.bad_ticks_ban_hours = 0;
  m.set_params(p);
  EXPECT_TRUE(cycle(m, t0 + 10 * sec).empty());
  p.bad_ticks_ban_hours = 1;
  m.set_params(p);
  EXPECT_TRUE(cycle(m, t0 + 11 * sec).empty());
}

} // namespace
