// The triggers stage: closed bars only, backfill never stores an unfinished bucket, blocked
// series say why, the bad-tick guard holds a spike, the per-cycle cap keeps the strongest.

#include "actors/trading/signals/signal_engine.hpp"
#include "test_bars.hpp"

#include <gtest/gtest.h>

namespace trader::signals {
namespace {

using test::at_min;
using test::at_s;

engine_params one_minute_momentum() {
  engine_params p;
  p.triggers.granularity = "ONE_MINUTE";
  p.triggers.breakout.enabled = false;
  p.triggers.volume_spike.enabled = false;
  p.triggers.momentum.enabled = true;
  p.triggers.momentum.lookback_candles = 5;
  p.triggers.momentum.threshold_pct = 1.0;
  p.regime_product = "BTC-USD";
  return p;
}

/// Flat one-minute candles of p at 100 for minutes [from, to).
std::vector<candle> flat_candles(const std::string& p, std::int64_t from, std::int64_t to, double px = 100) {
  std::vector<candle> out;
  for (auto m = from; m < to; ++m)
    out.push_back(candle{product_id{p}, 60, at_min(m), test::px(px), test::px(px), test::px(px), test::px(px),
                         test::qty(1), 0});
  return out;
}

universe_snapshot universe_of(std::initializer_list<const char*> ps, std::int64_t cycle = 1) {
  universe_snapshot u;
  u.cycle = cycle;
  for (auto* p : ps)
    u.entries.push_back({product_id{p}, "core", true, ""});
  return u;
}

market_trade trade(const std::string& p, double px, double qty, ts_ns t) {
  return market_trade{product_id{p}, trade_id{"t"}, test::px(px), test::qty(qty), side::buy, t, t};
}

const product_signals& of(const signal_batch& b, const std::string& p) {
  for (const auto& ps : b.products)
    if (ps.product.value == p)
      return ps;
  static product_signals none;
  return none;
}

TEST(SignalEngine, BackfillDropsTheBucketThatHasNotEnded) {
  signal_engine e(one_minute_momentum());
  auto page = flat_candles("BTC-USD", 0, 31);  // minute 30 is still forming at 30:20
  auto r = e.backfill(product_id{"BTC-USD"}, granularity::one_minute, page, at_s(30 * 60 + 20));
  EXPECT_EQ(r.added, 30u);
  EXPECT_EQ(e.counts().future_candles, 1u);
  EXPECT_EQ(e.store().series(product_id{"BTC-USD"}, granularity::one_minute)->newest()->start, at_min(29));
}

TEST(SignalEngine, ASeriesWithoutEnoughBarsBlocksItsProductWithAReason) {
  signal_engine e(one_minute_momentum());
  e.backfill(product_id{"BTC-USD"}, granularity::one_minute, flat_candles("BTC-USD", 0, 3), at_min(3));
  auto b = e.evaluate(universe_of({"BTC-USD", "ETH-USD"}), at_min(3));
  EXPECT_TRUE(of(b, "BTC-USD").blocked);
  EXPECT_NE(of(b, "BTC-USD").block_reason.find("warming_up"), std::string::npos) << of(b, "BTC-USD").block_reason;
  EXPECT_TRUE(of(b, "ETH-USD").blocked);
  EXPECT_NE(of(b, "ETH-USD").block_reason.find("no_bars"), std::string::npos);
  ASSERT_EQ(e.wanted(product_id{"ETH-USD"}, at_min(3)).size(), 1u);
  EXPECT_EQ(e.wanted(product_id{"ETH-USD"}, at_min(3))[0].why, "empty");
}

TEST(SignalEngine, AStaleSeriesBlocksAndAsksForABackfill) {
  signal_engine e(one_minute_momentum());
  e.backfill(product_id{"BTC-USD"}, granularity::one_minute, flat_candles("BTC-USD", 0, 30), at_min(30));
  auto b = e.evaluate(universe_of({"BTC-USD"}), at_min(40));
  EXPECT_TRUE(of(b, "BTC-USD").blocked);
  EXPECT_NE(of(b, "BTC-USD").block_reason.find("stale"), std::string::npos) << of(b, "BTC-USD").block_reason;
  ASSERT_EQ(e.wanted(product_id{"BTC-USD"}, at_min(40)).size(), 1u);
  EXPECT_EQ(e.wanted(product_id{"BTC-USD"}, at_min(40))[0].why, "stale");
}

TEST(SignalEngine, TheFormingBarNeverFiresOnlyTheClosedOneDoes) {
  signal_engine e(one_minute_momentum());
  const product_id btc{"BTC-USD"};
  e.backfill(btc, granularity::one_minute, flat_candles("BTC-USD", 0, 30), at_min(30));
  e.store().start(btc, at_min(30));
  e.on_trade(trade("BTC-USD", 103, 1, at_s(30 * 60 + 10)));
  e.advance(at_s(30 * 60 + 50));
  auto forming = e.evaluate(universe_of({"BTC-USD"}), at_s(30 * 60 + 50));
  EXPECT_FALSE(of(forming, "BTC-USD").blocked) << of(forming, "BTC-USD").block_reason;
  EXPECT_TRUE(of(forming, "BTC-USD").fired.empty());
  e.advance(at_min(31));
  auto closed = e.evaluate(universe_of({"BTC-USD"}), at_min(31));
  ASSERT_EQ(of(closed, "BTC-USD").fired.size(), 1u);
  EXPECT_EQ(of(closed, "BTC-USD").fired[0].id, "momentum");
  EXPECT_EQ(of(closed, "BTC-USD").bar_start, at_min(30));
  EXPECT_EQ(closed.granularity_s, 60);
}

TEST(SignalEngine, ASpikeWithoutVolumeIsHeldAndNeverFires) {
  auto p = one_minute_momentum();
  p.bad_tick.max_jump_pct = 15;
  signal_engine e(p);
  const product_id btc{"BTC-USD"};
  e.backfill(btc, granularity::one_minute, flat_candles("BTC-USD", 0, 30), at_min(30));
  e.advance(at_min(30));
  e.store().start(btc, at_min(30));
  e.on_trade(trade("BTC-USD", 130, 0.5, at_s(30 * 60 + 5)));  // +30 %, thin
  e.advance(at_min(31));
  auto b = e.evaluate(universe_of({"BTC-USD"}), at_min(31));
  EXPECT_EQ(e.held(btc), 1u);
  EXPECT_EQ(e.counts().bad_ticks_held, 1u);
  EXPECT_TRUE(of(b, "BTC-USD").blocked);
  EXPECT_TRUE(of(b, "BTC-USD").fired.empty());
  EXPECT_NE(of(b, "BTC-USD").block_reason.find("bad_tick"), std::string::npos) << of(b, "BTC-USD").block_reason;
}

TEST(SignalEngine, TheCycleKeepsOnlyTheStrongestSignals) {
  auto p = one_minute_momentum();
  p.triggers.max_triggers_per_cycle = 1;
  signal_engine e(p);
  for (auto [name, last] : {std::pair{"BTC-USD", 102.0}, std::pair{"ETH-USD", 105.0}}) {
    auto page = flat_candles(name, 0, 29);
    auto up = flat_candles(name, 29, 30, last);
    page.insert(page.end(), up.begin(), up.end());
    e.backfill(product_id{name}, granularity::one_minute, page, at_min(30));
  }
  auto b = e.evaluate(universe_of({"BTC-USD", "ETH-USD"}), at_min(30));
  EXPECT_TRUE(of(b, "BTC-USD").fired.empty());
  ASSERT_EQ(of(b, "ETH-USD").fired.size(), 1u);
  EXPECT_GT(of(b, "ETH-USD").fired[0].strength, 4.9);
  EXPECT_EQ(e.counts().fired, 1u);
}

TEST(SignalEngine, ExcludedProductsAreCarriedNotEvaluated) {
  signal_engine e(one_minute_momentum());
  auto u = universe_of({"BTC-USD"});
  u.entries.push_back({product_id{"DOGE-USD"}, "rotational", false, "low_volume: x"});
  auto b = e.evaluate(u, at_min(1));
  ASSERT_EQ(b.excluded.size(), 1u);
  EXPECT_EQ(b.excluded[0].product.value, "DOGE-USD");
  EXPECT_EQ(b.products.size(), 1u);
}

TEST(SignalEngine, AGapBlocksUntilABackfillClosesIt) {
  signal_engine e(one_minute_momentum());
  const product_id btc{"BTC-USD"};
  auto page = flat_candles("BTC-USD", 0, 20);
  auto later = flat_candles("BTC-USD", 21, 30);
  page.insert(page.end(), later.begin(), later.end());
  e.backfill(btc, granularity::one_minute, page, at_min(30));
  auto b = e.evaluate(universe_of({"BTC-USD"}), at_min(30));
  EXPECT_TRUE(of(b, "BTC-USD").blocked);
  EXPECT_NE(of(b, "BTC-USD").block_reason.find("gap"), std::string::npos) << of(b, "BTC-USD").block_reason;
  EXPECT_EQ(e.wanted(btc, at_min(30))[0].why, "gap");
  e.backfill(btc, granularity::one_minute, flat_candles("BTC-USD", 20, 21), at_min(30));
  EXPECT_FALSE(of(e.evaluate(universe_of({"BTC-USD"}), at_min(30)), "BTC-USD").blocked);
}

TEST(VolatilityFilter, BlocksOnlyWhileTheNewestVolatilityIsAboveItsPercentile) {
  volatility_filter_params p{true, 10, 95.0};
  std::vector<double> calm;
  double x = 100;
  for (int i = 0; i < 200; ++i)
    calm.push_back(x *= (i % 2 ? 1.001 : 0.999));  // ±0.1 % alternating: constant volatility
  EXPECT_EQ(volatility_block(calm, p), "");
  auto wild = calm;
  for (int i = 0; i < 10; ++i)
    wild.push_back(wild.back() * (i % 2 ? 1.03 : 0.97));  // ±3 %: far above every earlier value
  auto why = volatility_block(wild, p);
  EXPECT_EQ(why.rfind("volatility: realized_vol10_pct=", 0), 0u) << why;
  EXPECT_EQ(volatility_block(std::span(wild).first(20), p), "");  // too short to judge
  p.percentile = 100;
  EXPECT_EQ(volatility_block(wild, p), "");  // the newest value is the maximum: not above it
}

TEST(SignalEngine, TheVolatilityFilterBlocksAProductThatFired) {
  auto p = one_minute_momentum();
  p.volatility = {true, 5, 95.0};
  signal_engine e(p);
  std::vector<candle> page = flat_candles("BTC-USD", 0, 40);
  for (std::size_t i = 0; i < page.size(); ++i) {  // a gentle wiggle, then a wild last stretch
    double c = 100 * (i % 2 ? 1.001 : 0.999);
    if (i >= 34)
      c = 100 * (i % 2 ? 1.06 : 0.98);
    page[i].close = test::px(c);
    page[i].high = test::px(std::max(100.0, c));
    page[i].low = test::px(std::min(100.0, c));
  }
  e.backfill(product_id{"BTC-USD"}, granularity::one_minute, page, at_min(40));
  auto b = e.evaluate(universe_of({"BTC-USD"}), at_min(40));
  EXPECT_TRUE(of(b, "BTC-USD").blocked);
  EXPECT_TRUE(of(b, "BTC-USD").fired.empty());
  EXPECT_EQ(of(b, "BTC-USD").block_reason.rfind("volatility:", 0), 0u) << of(b, "BTC-USD").block_reason;
  EXPECT_EQ(of(b, "BTC-USD").closes.size(), 40u);
}

// The engine reuses a product's answer while its bars stay the same (a 5-minute base read
// every minute); a new bar, a bar the guard holds, or new parameters retire it at once.
TEST(SignalEngine, ACachedAnswerLastsOnlyWhileTheBarsGuardAndParametersDo) {
  auto p = one_minute_momentum();
  p.bad_tick.max_jump_pct = 2;  // the guard holds a 3 % bar, once it has seen it
  signal_engine e(p);
  const product_id btc{"BTC-USD"};
  e.backfill(btc, granularity::one_minute, flat_candles("BTC-USD", 0, 30), at_min(30));
  e.advance(at_min(30));
  auto quiet = e.evaluate(universe_of({"BTC-USD"}), at_min(30));
  auto again = e.evaluate(universe_of({"BTC-USD"}), at_s(30 * 60 + 30));
  EXPECT_TRUE(of(again, "BTC-USD").fired.empty());
  EXPECT_EQ(of(again, "BTC-USD").bar_start, of(quiet, "BTC-USD").bar_start);
  EXPECT_EQ(e.counts().evaluations, 2u);

  // A new bar (+3 %): answered from the new bars, before the guard has seen it.
  e.backfill(btc, granularity::one_minute, flat_candles("BTC-USD", 30, 31, 103), at_min(31));
  auto moved = e.evaluate(universe_of({"BTC-USD"}), at_min(31));
  ASSERT_EQ(of(moved, "BTC-USD").fired.size(), 1u);
  EXPECT_EQ(of(moved, "BTC-USD").bar_start, at_min(30));

  // New parameters, same bars: a 5 % threshold does not fire on +3 %.
  p.triggers.momentum.threshold_pct = 5.0;
  ASSERT_EQ(e.reconfigure(p), "");
  EXPECT_TRUE(of(e.evaluate(universe_of({"BTC-USD"}), at_min(31)), "BTC-USD").fired.empty());

  // Back to 1 % (the guard kept: same [bad_tick]); once the guard has seen the bar, the
  // same bars no longer fire.
  p.triggers.momentum.threshold_pct = 1.0;
  ASSERT_EQ(e.reconfigure(p), "");
  EXPECT_EQ(of(e.evaluate(universe_of({"BTC-USD"}), at_min(31)), "BTC-USD").fired.size(), 1u);
  e.advance(at_min(31));
  ASSERT_EQ(e.held(btc), 1u);
  auto held = e.evaluate(universe_of({"BTC-USD"}), at_min(31));
  EXPECT_TRUE(of(held, "BTC-USD").fired.empty());
  EXPECT_NE(of(held, "BTC-USD").block_reason.find("bad_tick"), std::string::npos) << of(held, "BTC-USD").block_reason;
}

} // namespace
} // namespace trader::signals
