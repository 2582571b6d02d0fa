// Full-jitter capped exponential backoff: windows, jitter range, cap, retry-after floor.
#include "actors/exchange/coinbase/backoff.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using trader::exchange::backoff;
using trader::exchange::retry_policy;

TEST(Backoff, WindowDoublesUpToTheCap) {
  backoff b(retry_policy{10, 200ms, 30'000ms}, [] { return 0.5; });
  EXPECT_EQ(b.window(0), 200ms);
  EXPECT_EQ(b.window(1), 400ms);
  EXPECT_EQ(b.window(4), 3200ms);
  EXPECT_EQ(b.window(7), 25'600ms);
  EXPECT_EQ(b.window(8), 30'000ms);
  EXPECT_EQ(b.window(1000), 30'000ms);  // no overflow
}

TEST(Backoff, DelayIsUniformOverTheWholeWindow) {
  double u = 0;
  backoff b(retry_policy{10, 200ms, 30'000ms}, [&] { return u; });
  u = 0.0;
  EXPECT_EQ(b.delay(3), 0ms);  // full jitter: zero is possible
  u = 0.999999;
  EXPECT_EQ(b.delay(3), 1599ms);
  u = 0.25;
  EXPECT_EQ(b.delay(3), 400ms);
  u = 0.999999;
  EXPECT_LE(b.delay(20), 30'000ms);
}

TEST(Backoff, RealJitterStaysInRangeAndSpreads) {
  backoff b(retry_policy{10, 100ms, 1000ms});
  std::chrono::milliseconds lo = 1h, hi = 0ms;
  for (int i = 0; i < 2000; ++i) {
    auto d = b.delay(2);  // window 400 ms
    ASSERT_GE(d, 0ms);
    ASSERT_LE(d, 400ms);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_LT(lo, 40ms);   // the whole window is used, not just its top
  EXPECT_GT(hi, 360ms);
}

TEST(Backoff, RetryAfterIsAFloorButNeverAboveTheCap) {
  backoff b(retry_policy{5, 100ms, 5000ms}, [] { return 0.1; });
  EXPECT_EQ(b.delay(0, 2000), 2000ms);
  EXPECT_EQ(b.delay(0, -1), 10ms);
  EXPECT_EQ(b.delay(0, 60'000), 5000ms);
}

TEST(Backoff, AttemptLimit) {
  backoff b(retry_policy{3, 100ms, 1000ms});
  EXPECT_FALSE(b.exhausted(2));
  EXPECT_TRUE(b.exhausted(3));
  backoff one(retry_policy{0, 100ms, 1000ms});
  EXPECT_TRUE(one.exhausted(1));  // at least one attempt, never zero
}
