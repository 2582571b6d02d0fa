// Verifies the clock-skew estimate (RTT/2 correction) and the 150 ms verdict.

#include "actors/exchange/clock/skew_policy.hpp"

#include <gtest/gtest.h>

using namespace trader::clock;

namespace {

constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t t0 = 1'700'000'000LL * 1'000'000'000LL;

/// A probe with a symmetric path of rtt where the server is `offset` ahead of us.
time_probe probe(std::int64_t offset, std::int64_t rtt) { return {t0, t0 + rtt / 2 + offset, t0 + rtt, ms}; }

} // namespace

TEST(ClockSkew, CorrectsForHalfTheRoundTrip) {
  auto e = estimate(probe(0, 80 * ms));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->offset_ns, 0);
  EXPECT_EQ(e->rtt_ns, 80 * ms);
  EXPECT_EQ(e->uncertainty_ns, 41 * ms);
  EXPECT_EQ(estimate(probe(-200 * ms, 10 * ms))->offset_ns, -200 * ms);
}

TEST(ClockSkew, PrefersTheFastestProbe) {
  auto best = best_estimate({probe(300 * ms, 900 * ms), probe(20 * ms, 30 * ms), probe(100 * ms, 400 * ms)});
  ASSERT_TRUE(best);
  EXPECT_EQ(best->offset_ns, 20 * ms);
}

TEST(ClockSkew, WithinLimitIsOk) {
  auto v = evaluate({probe(149 * ms, 20 * ms)});
  EXPECT_EQ(v.status, skew_status::ok);
  EXPECT_TRUE(v.live_allowed());
}

TEST(ClockSkew, AboveOneHundredFiftyMillisecondsLiveRefuses) {
  for (auto off : {151 * ms, -151 * ms}) {
    auto v = evaluate({probe(off, 20 * ms)});
    EXPECT_EQ(v.status, skew_status::exceeded);
    EXPECT_FALSE(v.live_allowed());
  }
  EXPECT_EQ(evaluate({probe(-212 * ms, 38 * ms)}).reason, "CLOCK_SKEW: offset_ms=-212.0 limit_ms=150.0 rtt_ms=38.0");
}

TEST(ClockSkew, NoUsableProbeIsUnreliableAndRefusesLive) {
  EXPECT_EQ(evaluate({}).status, skew_status::unreliable);
  EXPECT_EQ(evaluate({probe(0, 3000 * ms)}).status, skew_status::unreliable);
  time_probe stepped{t0, t0, t0 - 1, ms};  // the local clock went backwards mid-probe
  EXPECT_FALSE(estimate(stepped));
  EXPECT_FALSE(evaluate({stepped}).live_allowed());
}

TEST(ClockSkew, LimitComesFromPolicy) {
  skew_policy p;
  p.max_skew_ns = 2000 * ms;
  EXPECT_EQ(evaluate({probe(500 * ms, 20 * ms)}, p).status, skew_status::ok);
}
