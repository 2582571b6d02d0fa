// Trade pacing: the state (counts, rolling windows, UTC day, serialization) and its checks.
#include "risk_world.hpp"

#include <gtest/gtest.h>

using namespace risk_test;

namespace {
bool passes(const check_result& r) { return r.outcome == check_outcome::approve; }
bool rejects(const check_result& r, std::string_view id) {
  return r.outcome == check_outcome::reject && r.why.check == id;
}
const product_id btc = pid("BTC-USD"), eth = pid("ETH-USD");
} // namespace

TEST(PacingState, CountsTradesInTheRollingHour) {
  pacing_state s;
  s.record_trade(btc, true, t0 - seconds(3600));  // exactly an hour ago: outside (now − 1 h, now]
  s.record_trade(eth, true, t0 - seconds(3599));
  s.record_trade(btc, false, t0);
  EXPECT_EQ(s.trades_last_hour(t0), 2);
  EXPECT_EQ(s.new_positions_last_hour(t0), 1);
}

TEST(PacingState, CountsTradesPerUtcDayAndResetsAtMidnight) {
  pacing_state s;
  const ts_ns midnight = t0 + seconds(12 * 3600);  // 2026-12-03 00:00 UTC
  s.record_trade(btc, true, midnight - seconds(1));
  s.record_trade(eth, true, midnight - seconds(2));
  EXPECT_EQ(s.trades_today(midnight - seconds(1)), 2);
  EXPECT_EQ(s.trades_today(midnight), 0);
  s.record_trade(btc, false, midnight);
  EXPECT_EQ(s.trades_today(midnight), 1);
}

TEST(PacingState, RoundTripsThroughJson) {
  pacing_state s;
  s.record_trade(btc, true, t0 - seconds(100));
  s.record_fill(btc, t0 - seconds(50));
  s.record_stop_out(eth, t0 - seconds(10));
  auto back = pacing_state::from_json(s.to_json());
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, s);
  EXPECT_EQ(back->symbol(eth).last_stop_out, t0 - seconds(10));
}

TEST(PacingState, RejectsMalformedJsonAndUnknownVersions) {
  EXPECT_FALSE(pacing_state::from_json("not json"));
  EXPECT_FALSE(pacing_state::from_json(R"({"v":2,"trades":[],"new_positions":[],"last_trade":0,"symbols":{}})"));
  EXPECT_FALSE(pacing_state::from_json(R"({"v":1,"trades":"x"})"));
}

TEST(PacingState, PruneForgetsOnlyWhatNoWindowNeeds) {
  pacing_state s;
  s.record_trade(btc, true, t0 - seconds(26 * 3600));
  s.record_trade(eth, true, t0 - seconds(60));
  s.prune(t0, seconds(7200));
  EXPECT_EQ(s.trades_last_hour(t0), 1);
  EXPECT_EQ(s.symbol(btc).last_trade, 0);  // forgotten
  EXPECT_EQ(s.symbol(eth).last_trade, t0 - seconds(60));
}

TEST(PacingChecks, TradesPerDayLimit) {
  world w;
  w.policy.max_trades_per_day = 2;
  w.policy.max_trades_per_hour = 100;
  w.pacing.record_trade(eth, true, t0 - seconds(5 * 3600));
  EXPECT_TRUE(passes(check_trades_per_day(w.ctx())));
  w.pacing.record_trade(eth, true, t0 - seconds(4 * 3600));
  auto r = check_trades_per_day(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::trades_per_day));
  EXPECT_EQ(r.why.detail, "trades_today=2 limit=2");
}

TEST(PacingChecks, TradesPerHourLimit) {
  world w;
  for (int i = 0; i < 4; ++i)
    w.pacing.record_trade(eth, true, t0 - seconds(3000 - i));
  EXPECT_TRUE(passes(check_trades_per_hour(w.ctx())));
  w.pacing.record_trade(eth, true, t0 - seconds(2000));
  EXPECT_TRUE(rejects(check_trades_per_hour(w.ctx()), check_id::trades_per_hour));
}

TEST(PacingChecks, NewPositionsPerHourLimitSparesAdds) {
  world w;
  for (int i = 0; i < 3; ++i)
    w.pacing.record_trade(eth, true, t0 - seconds(3000 - i));
  EXPECT_TRUE(rejects(check_new_positions_per_hour(w.ctx()), check_id::new_positions_per_hour));
  w.hold_btc();
  EXPECT_TRUE(passes(check_new_positions_per_hour(w.ctx())));  // now an add
}

TEST(PacingChecks, MinimumSecondsBetweenTrades) {
  world w;
  w.pacing.record_trade(eth, true, t0 - seconds(179));
  auto r = check_min_trade_spacing(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::min_trade_spacing));
  EXPECT_EQ(r.why.detail, "since_s=179.0 limit_s=180");
  w.now = t0 + seconds(1);
  EXPECT_TRUE(passes(check_min_trade_spacing(w.ctx())));
}

TEST(PacingChecks, PerSymbolCooldownAfterAFill) {
  world w;
  w.pacing.record_fill(eth, t0 - seconds(10));
  EXPECT_TRUE(passes(check_symbol_cooldown(w.ctx())));  // another symbol
  w.pacing.record_fill(btc, t0 - seconds(899));
  EXPECT_TRUE(rejects(check_symbol_cooldown(w.ctx()), check_id::symbol_cooldown));
  w.now = t0 + seconds(1);
  EXPECT_TRUE(passes(check_symbol_cooldown(w.ctx())));
}

TEST(PacingChecks, PerSymbolCooldownAfterATrade) {
  world w;
  w.pacing.record_trade(btc, true, t0 - seconds(600));
  EXPECT_TRUE(rejects(check_symbol_cooldown(w.ctx()), check_id::symbol_cooldown));
}

TEST(PacingChecks, CooldownAfterAStopOut) {
  world w;
  w.pacing.record_stop_out(btc, t0 - seconds(3599));
  auto r = check_stop_out_cooldown(w.ctx());
  EXPECT_TRUE(rejects(r, check_id::stop_out_cooldown));
  EXPECT_EQ(r.why.detail, "product=BTC-USD since_s=3599.0 limit_s=3600");
  w.now = t0 + seconds(1);
  EXPECT_TRUE(passes(check_stop_out_cooldown(w.ctx())));
}
