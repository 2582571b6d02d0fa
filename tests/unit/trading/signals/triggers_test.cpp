#include "actors/trading/signals/triggers.hpp"

#include "test_bars.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::signals;
using namespace trader::signals::test;

namespace {

// Every trigger off: each test turns on the one it checks.
triggers_params none() {
  triggers_params p;
  p.breakout.enabled = false;
  p.momentum.enabled = false;
  p.volume_spike.enabled = false;
  return p;
}

// n quiet bars around 100 (high 101, low 99), volume 10.
std::vector<bar> quiet(int n) {
  std::vector<bar> out;
  for (int m = 0; m < n; ++m)
    out.push_back(mk(m, 100, 101, 99, 100, 10));
  return out;
}

bool fired(const trigger_report& r, trigger_id id) {
  for (const auto& s : r.fired)
    if (s.id == id)
      return true;
  return false;
}

} // namespace

TEST(Triggers, BreakoutFiresWhenTheCloseClearsTheRangeOnVolume) {
  auto p = none();
  p.breakout.enabled = true;  // lookback 20, 2 %, volume × 1.5
  auto bars = quiet(20);
  bars.push_back(mk(20, 100, 104, 100, 103.525, 16));  // 2.5 % over 101, volume 1.6×
  auto r = evaluate_triggers(bars, {}, p);
  ASSERT_EQ(r.fired.size(), 1u);
  const auto& s = r.fired[0];
  EXPECT_EQ(s.id, trigger_id::breakout);
  EXPECT_NEAR(s.value, 2.5, 1e-9);
  EXPECT_NEAR(s.strength, 1.25, 1e-9);
  EXPECT_NEAR(s.confidence, 0.6, 1e-9);
  EXPECT_EQ(s.bar_start, at_min(20));
  EXPECT_EQ(s.detail, "breakout: close=103.525 high20=101 clear_pct=2.50 volume_ratio=1.60");
  EXPECT_FALSE(r.blocked);
}

TEST(Triggers, BreakoutNeedsVolumeConfirmation) {
  auto p = none();
  p.breakout.enabled = true;
  auto bars = quiet(20);
  bars.push_back(mk(20, 100, 104, 100, 103.53, 14));  // volume only 1.4×
  EXPECT_TRUE(evaluate_triggers(bars, {}, p).fired.empty());
}

TEST(Triggers, BreakoutNeedsTheCloseToClearTheThreshold) {
  auto p = none();
  p.breakout.enabled = true;
  auto bars = quiet(20);
  bars.push_back(mk(20, 100, 104, 100, 102.9, 30));  // 1.9 % over 101
  EXPECT_TRUE(evaluate_triggers(bars, {}, p).fired.empty());
}

TEST(Triggers, ATriggerWithoutEnoughBarsIsSkippedWithANote) {
  auto p = none();
  p.breakout.enabled = true;
  auto r = evaluate_triggers(quiet(5), {}, p);
  EXPECT_TRUE(r.fired.empty());
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0], "breakout: warming_up 5 of 21 bars");
  EXPECT_EQ(bars_needed(p), 21u);
}

TEST(Triggers, MomentumFiresOnTheReturnOverTheLookback) {
  auto p = none();
  p.momentum.enabled = true;  // 12 bars, 1.5 %
  auto bars = quiet(12);
  bars.push_back(mk(12, 100, 102, 100, 102, 10));
  auto r = evaluate_triggers(bars, {}, p);
  ASSERT_TRUE(fired(r, trigger_id::momentum));
  EXPECT_NEAR(r.fired[0].value, 2.0, 1e-9);
  bars.back() = mk(12, 100, 101.4, 100, 101.4, 10);
  EXPECT_FALSE(fired(evaluate_triggers(bars, {}, p), trigger_id::momentum));
}

TEST(Triggers, VolumeSpikeFiresOnlyOnARisingBar) {
  auto p = none();
  p.volume_spike.enabled = true;  // 24 bars, × 3
  auto bars = quiet(24);
  bars.push_back(mk(24, 100, 101, 99, 100.5, 35));
  auto r = evaluate_triggers(bars, {}, p);
  ASSERT_TRUE(fired(r, trigger_id::volume_spike));
  EXPECT_NEAR(r.fired[0].value, 3.5, 1e-9);
  bars.back() = mk(24, 100, 101, 99, 99.5, 35);  // same spike, falling
  EXPECT_FALSE(fired(evaluate_triggers(bars, {}, p), trigger_id::volume_spike));
}

TEST(Triggers, RsiReversionFiresWhenOversold) {
  auto p = none();
  p.rsi_reversion.enabled = true;  // 14, ≤ 30
  std::vector<bar> bars;
  for (int m = 0; m < 15; ++m) {
    const double c = 100 - m;  // only losses: RSI 0
    bars.push_back(mk(m, c + 0.5, c + 1, c - 0.5, c, 10));
  }
  auto r = evaluate_triggers(bars, {}, p);
  ASSERT_TRUE(fired(r, trigger_id::rsi_reversion));
  EXPECT_NEAR(r.fired[0].value, 0.0, 1e-9);
  EXPECT_NEAR(r.fired[0].strength, 2.0, 1e-9);
  EXPECT_FALSE(fired(evaluate_triggers(quiet(15), {}, p), trigger_id::rsi_reversion));  // flat: RSI 100
}

TEST(Triggers, AtrBreakoutFiresOnARiseOfSeveralAtrs) {
  auto p = none();
  p.atr_breakout.enabled = true;  // 14, 1.5 ATR
  auto bars = quiet(15);           // ATR of the quiet bars = 2
  bars.push_back(mk(15, 100, 103.5, 100, 103.2, 10));  // +3.2 = 1.6 ATR
  auto r = evaluate_triggers(bars, {}, p);
  ASSERT_TRUE(fired(r, trigger_id::atr_breakout));
  EXPECT_NEAR(r.fired[0].value, 1.6, 1e-9);
  bars.back() = mk(15, 100, 103, 100, 102.8, 10);  // 1.4 ATR
  EXPECT_FALSE(fired(evaluate_triggers(bars, {}, p), trigger_id::atr_breakout));
}

TEST(Triggers, TrendFilterBlocksAnEntryAgainstTheHigherTimeframe) {
  auto p = none();
  p.momentum.enabled = true;
  p.trend_filter.enabled = true;
  p.trend_filter.fast_period = 3;
  p.trend_filter.slow_period = 5;
  auto bars = quiet(12);
  bars.push_back(mk(12, 100, 102, 100, 102, 10));
  std::vector<bar> down, up;
  for (int h = 0; h < 8; ++h) {
    down.push_back(flat(h * 60, 120 - 2 * h));
    up.push_back(flat(h * 60, 80 + 2 * h));
  }
  auto blocked = evaluate_triggers(bars, down, p);
  EXPECT_TRUE(blocked.blocked);
  EXPECT_EQ(blocked.fired.size(), 1u);  // kept for audit
  ASSERT_FALSE(blocked.notes.empty());
  EXPECT_EQ(blocked.notes.back().rfind("trend_filter: ONE_HOUR not up", 0), 0u);
  EXPECT_FALSE(evaluate_triggers(bars, up, p).blocked);
  EXPECT_TRUE(evaluate_triggers(bars, std::span(up).first(3), p).blocked);  // too few higher bars
}

TEST(Triggers, NothingFiresWhileABadTickIsInTheLookback) {
  auto p = none();
  p.momentum.enabled = true;
  bad_tick_guard guard;
  auto bars = quiet(12);
  bars[6] = mk(6, 100, 140, 99, 100, 10);  // a 39 % wick on normal volume
  bars.push_back(mk(12, 100, 102, 100, 102, 10));
  for (const auto& b : bars)
    guard.check_bar(b);
  auto r = evaluate_triggers(bars, {}, p, &guard);
  EXPECT_TRUE(r.blocked);
  EXPECT_TRUE(r.fired.empty());
  EXPECT_EQ(r.notes.at(0), "bad_tick: a held bar is inside the lookback");
  EXPECT_TRUE(fired(evaluate_triggers(bars, {}, p), trigger_id::momentum));  // without the guard it would fire
}

TEST(Triggers, EvaluationIsDeterministic) {
  triggers_params p;
  p.volume_spike.enabled = true;
  p.rsi_reversion.enabled = true;
  p.atr_breakout.enabled = true;
  auto bars = quiet(30);
  bars.push_back(mk(30, 100, 106, 100, 105, 50));
  auto a = evaluate_triggers(bars, {}, p);
  auto b = evaluate_triggers(bars, {}, p);
  ASSERT_EQ(a.fired.size(), 4u);  // breakout, momentum, volume spike, ATR breakout
  for (std::size_t i = 0; i < a.fired.size(); ++i) {
    EXPECT_EQ(a.fired[i].id, b.fired[i].id);
    EXPECT_EQ(a.fired[i].strength, b.fired[i].strength);
    EXPECT_EQ(a.fired[i].detail, b.fired[i].detail);
  }
}

TEST(Triggers, KeepsTheStrongestSignalsWithStableTies) {
  auto sig = [](const char* p, trigger_id id, double strength) {
    product_signal s{product_id{p}, {}};
    s.signal.id = id;
    s.signal.strength = strength;
    return s;
  };
  std::vector<product_signal> v{sig("SOL-USD", trigger_id::momentum, 1.2), sig("BTC-USD", trigger_id::breakout, 2.0),
                                sig("ETH-USD", trigger_id::momentum, 1.2), sig("ADA-USD", trigger_id::momentum, 1.1)};
  keep_strongest(v, 3);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].product.value, "BTC-USD");
  EXPECT_EQ(v[1].product.value, "ETH-USD");
  EXPECT_EQ(v[2].product.value, "SOL-USD");
  EXPECT_EQ(name(trigger_id::atr_breakout), "atr_breakout");
}
