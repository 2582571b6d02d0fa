// token_bucket: exact fixed-point refill with a manual clock.
#include "actors/exchange/rate_limiter/token_bucket.hpp"

#include <gtest/gtest.h>

using namespace trader::rate_limit;

namespace {
constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t s = 1'000'000'000;
} // namespace

TEST(TokenBucket, StartsFullAndRefusesWhenEmpty) {
  token_bucket b(10, 3, 0);
  EXPECT_EQ(b.available(0), 3 * micro);
  EXPECT_TRUE(b.try_take(0));
  EXPECT_TRUE(b.try_take(0));
  EXPECT_TRUE(b.try_take(0));
  EXPECT_FALSE(b.try_take(0));
  EXPECT_EQ(b.available(0), 0);
}

TEST(TokenBucket, RefillsAtRateAndCapsAtCapacity) {
  token_bucket b(10, 3, 0);
  b.drain(0);
  EXPECT_EQ(b.available(100 * ms), micro);        // 10/s: one per 100 ms
  EXPECT_EQ(b.available(250 * ms), 2 * micro + micro / 2);
  EXPECT_EQ(b.available(10 * s), 3 * micro);      // capped
}

TEST(TokenBucket, SmallStepsLoseNoFraction) {
  token_bucket b(3, 5, 0);  // 3/s: 333333.33 ns per micro-token... refilled 1 ns at a time
  b.drain(0);
  for (std::int64_t t = 1; t <= 1000; ++t)
    b.available(t * ms);
  EXPECT_EQ(b.available(1 * s), 3 * micro);
}

TEST(TokenBucket, TimeUntilIsNeverEarly) {
  token_bucket b(3, 2, 0);
  b.drain(0);
  auto wait = b.time_until(0, micro);
  EXPECT_EQ(b.available(wait - 1), micro - 1);
  EXPECT_EQ(b.available(wait), micro);
  EXPECT_EQ(b.time_until(wait, micro), 0);
}

TEST(TokenBucket, NeedLeavesAReserve) {
  token_bucket b(1, 2, 0);
  EXPECT_FALSE(b.try_take(0, micro, 2 * micro + 1));
  EXPECT_TRUE(b.try_take(0, micro, 2 * micro));
  EXPECT_EQ(b.available(0), micro);
}

TEST(TokenBucket, SetRateAppliesFromNow) {
  token_bucket b(10, 10, 0);
  b.drain(0);
  b.available(500 * ms);  // 5 tokens at 10/s
  b.set_rate(2, 500 * ms);
  EXPECT_EQ(b.available(1 * s), 6 * micro);  // + 1 at 2/s
}

TEST(TokenBucket, LongIdleDoesNotOverflow) {
  token_bucket b(1000, 5, 0);
  b.drain(0);
  EXPECT_EQ(b.available(365LL * 24 * 3600 * s), 5 * micro);
}

TEST(TokenBucket, ClockGoingBackwardsIsIgnored) {
  token_bucket b(10, 3, 1 * s);
  b.drain(1 * s);
  EXPECT_EQ(b.available(0), 0);
  EXPECT_EQ(b.available(1 * s + 100 * ms), micro);
}
