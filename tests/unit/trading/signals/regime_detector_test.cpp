#include "actors/trading/signals/regime_detector.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace trader::signals;

namespace {

// Defaults: bull ≥ 3 %, bear ≤ −3 %, band 1 %, crash at −10 % or vol ≥ 4 % falling, K = 3.
regime_reading trend(double pct) { return regime_reading{pct, pct / 4, 0.5}; }
regime_reading crash_drop() { return regime_reading{-12, -11, 1.0}; }
regime_reading wild_and_falling() { return regime_reading{-1, -2, 5.0}; }

// Applies `r` n times; returns the last update.
regime_update feed(regime_detector& d, const regime_reading& r, int n) {
  regime_update u;
  for (int i = 0; i < n; ++i)
    u = d.update(r);
  return u;
}

// A detector already in regime `r` (start state), defaults otherwise.
regime_detector in(regime r) { return regime_detector{regime_params{}, r}; }

} // namespace

TEST(RegimeDetector, ChopBecomesBullAfterKConsecutiveReadings) {
  auto d = in(regime::chop);
  EXPECT_FALSE(d.update(trend(4)).changed);
  auto u = d.update(trend(4));
  EXPECT_FALSE(u.changed);
  EXPECT_EQ(u.streak, 2);
  EXPECT_EQ(u.reason, "chop (→bull pending 2/3): trend24_pct=4.00 >= 3.00");
  u = d.update(trend(4));
  EXPECT_TRUE(u.changed);
  EXPECT_EQ(u.current, regime::bull);
  EXPECT_EQ(u.reason, "chop→bull: trend24_pct=4.00 >= 3.00 held 3/3");
}

TEST(RegimeDetector, BullFallsBackToChopOnlyBelowTheBand) {
  auto d = in(regime::bull);
  EXPECT_EQ(feed(d, trend(2.1), 10).current, regime::bull);  // 2.1 ≥ 3 − 1: holds
  EXPECT_EQ(feed(d, trend(1.5), 2).current, regime::bull);
  auto u = d.update(trend(1.5));
  EXPECT_TRUE(u.changed);
  EXPECT_EQ(u.current, regime::chop);
}

TEST(RegimeDetector, ChopBecomesBearAfterKConsecutiveReadings) {
  auto d = in(regime::chop);
  EXPECT_EQ(feed(d, trend(-3.5), 2).current, regime::chop);
  EXPECT_EQ(d.update(trend(-3.5)).current, regime::bear);
}

TEST(RegimeDetector, BearRecoversToChopOnlyAboveTheBand) {
  auto d = in(regime::bear);
  EXPECT_EQ(feed(d, trend(-2.2), 10).current, regime::bear);
  EXPECT_EQ(feed(d, trend(-1.0), 3).current, regime::chop);
}

TEST(RegimeDetector, BullTurnsStraightToBear) {
  auto d = in(regime::bull);
  auto u = feed(d, trend(-5), 3);
  EXPECT_TRUE(u.changed);
  EXPECT_EQ(u.current, regime::bear);
}

TEST(RegimeDetector, BearTurnsStraightToBull) {
  auto d = in(regime::bear);
  EXPECT_EQ(feed(d, trend(5), 3).current, regime::bull);
}

TEST(RegimeDetector, EveryRegimeEntersCrashAtOnceOnADrop) {
  for (auto from : {regime::bull, regime::chop, regime::bear}) {
    auto d = in(from);
    auto u = d.update(crash_drop());
    EXPECT_TRUE(u.changed) << name(from);
    EXPECT_EQ(u.current, regime::crash) << name(from);
    EXPECT_EQ(u.reason, std::string(name(from)) + "→crash: return6_pct=-11.00 <= -10.00 held 1/1");
  }
}

TEST(RegimeDetector, HighVolatilityWithAFallingTrendIsACrash) {
  auto d = in(regime::chop);
  EXPECT_EQ(d.update(wild_and_falling()).current, regime::crash);
  auto rising = in(regime::chop);
  EXPECT_EQ(rising.update(regime_reading{1, 0.5, 5.0}).current, regime::chop);  // wild but rising
}

TEST(RegimeDetector, CrashIsLeftOnlyAfterKCalmReadings) {
  auto d = in(regime::crash);
  EXPECT_EQ(feed(d, trend(0), 2).current, regime::crash);
  EXPECT_EQ(d.update(crash_drop()).current, regime::crash);  // a new drop resets the count
  EXPECT_EQ(feed(d, trend(0), 2).current, regime::crash);
  auto u = d.update(trend(0));
  EXPECT_TRUE(u.changed);
  EXPECT_EQ(u.current, regime::chop);
}

TEST(RegimeDetector, CrashCanRecoverIntoBear) {
  auto d = in(regime::crash);
  EXPECT_EQ(feed(d, trend(-4), 3).current, regime::bear);
}

TEST(RegimeDetector, DoesNotFlapOnANoisyBoundary) {
  // The trend hovers around the bull threshold, ±0.8 % (inside the 1 % band).
  auto d = in(regime::chop);
  int changes = 0;
  for (int i = 0; i < 200; ++i)
    changes += d.update(trend(3.0 + (i % 2 ? 0.8 : -0.8))).changed ? 1 : 0;
  EXPECT_EQ(changes, 0);  // 3.8 and 2.2 alternate: never 3 bull readings in a row
  EXPECT_EQ(d.current(), regime::chop);

  feed(d, trend(3.5), 3);  // a clear bull
  ASSERT_EQ(d.current(), regime::bull);
  changes = 0;
  for (int i = 0; i < 200; ++i)
    changes += d.update(trend(3.0 + (i % 2 ? 0.8 : -0.8))).changed ? 1 : 0;
  EXPECT_EQ(changes, 0);  // the band holds bull
}

TEST(RegimeDetector, DoesNotFlapWhenReadingsAlternateAcrossTheBand) {
  auto d = in(regime::chop);
  int changes = 0;
  for (int i = 0; i < 100; ++i)
    changes += d.update(trend(i % 3 == 2 ? 0 : 5)).changed ? 1 : 0;  // two bull readings, one chop
  EXPECT_EQ(changes, 0);
}

TEST(RegimeDetector, ReadsTrendAndVolatilityFromCloses) {
  regime_params p;
  p.trend_lookback = 4;
  p.crash_lookback = 2;
  p.vol_lookback = 4;
  regime_detector d{p};
  std::vector<double> c{100, 100, 101, 102, 103, 104};
  regime_reading r;
  ASSERT_TRUE(d.read(c, r));
  EXPECT_NEAR(r.trend_pct, 104.0 / 100.0 * 100 - 100, 1e-9);
  EXPECT_NEAR(r.crash_return_pct, 104.0 / 102.0 * 100 - 100, 1e-9);
  EXPECT_GT(r.vol_pct, 0);
  EXPECT_FALSE(d.evaluate(std::vector<double>{1, 2}).ready);
  EXPECT_EQ(d.evaluate(c).candidate, regime::bull);
}

TEST(RegimeDetector, SizeMultipliersComeFromPolicy) {
  regime_multipliers m;
  EXPECT_EQ(size_multiplier(regime::bull, m), 1.0);
  EXPECT_EQ(size_multiplier(regime::chop, m), 0.5);
  EXPECT_EQ(size_multiplier(regime::bear, m), 0.25);
  EXPECT_EQ(size_multiplier(regime::crash, m), 0.0);
  EXPECT_EQ(name(regime::crash), "crash");
}
