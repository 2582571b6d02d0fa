#include "actors/trading/signals/bar.hpp"

#include "test_bars.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace trader;
using namespace trader::signals;
using namespace trader::signals::test;

TEST(Bar, StaysWithinSixtyFourBytes) {
  EXPECT_LE(sizeof(bar), 64u);
  EXPECT_EQ(sizeof(bar), 48u);
}

TEST(Bar, BucketsAlignToUtcBoundaries) {
  EXPECT_EQ(bucket_start(at_s(299), granularity::five_minute), at_min(0));
  EXPECT_EQ(bucket_start(at_s(300), granularity::five_minute), at_min(5));
  EXPECT_EQ(bucket_start(at_min(59) + 1, granularity::one_hour), at_min(0));
  EXPECT_EQ(bucket_start(at_min(24 * 60 + 30), granularity::one_day), at_min(24 * 60));
  EXPECT_EQ(bucket_start(-1, granularity::one_minute), -60 * ns_per_s);
  EXPECT_EQ(bucket_end(at_min(5), granularity::five_minute), at_min(10));
}

TEST(Bar, ParsesCoinbaseGranularityNames) {
  EXPECT_EQ(parse_granularity("FIVE_MINUTE"), granularity::five_minute);
  EXPECT_EQ(parse_granularity("ONE_DAY"), granularity::one_day);
  EXPECT_FALSE(parse_granularity("five_minute"));
  EXPECT_EQ(granularity_from_seconds(900), granularity::fifteen_minute);
  EXPECT_FALSE(granularity_from_seconds(120));
  EXPECT_EQ(name(granularity::one_hour), "ONE_HOUR");
}

TEST(Bar, AcceptsAConsistentBar) { EXPECT_FALSE(check_bar(mk(0, 10, 12, 9, 11), granularity::one_minute)); }

TEST(Bar, RefusesEachKindOfBadValue) {
  const auto g = granularity::one_minute;
  EXPECT_EQ(check_bar(mk(0, 0, 12, 9, 11), g), drop_reason::non_positive_price);
  EXPECT_EQ(check_bar(mk(0, 10, 12, -1, 11), g), drop_reason::non_positive_price);
  EXPECT_EQ(check_bar(mk(0, 10, 9, 12, 11), g), drop_reason::high_below_low);
  EXPECT_EQ(check_bar(mk(0, 13, 12, 9, 11), g), drop_reason::open_close_outside_range);
  EXPECT_EQ(check_bar(mk(0, 10, 12, 9, 8), g), drop_reason::open_close_outside_range);
  EXPECT_EQ(check_bar(mk(0, 10, 12, 9, 11, -0.5), g), drop_reason::negative_volume);
  auto misaligned = mk(0, 10, 12, 9, 11);
  misaligned.start += ns_per_s;
  EXPECT_EQ(check_bar(misaligned, g), drop_reason::misaligned_bucket);
  EXPECT_EQ(check_bar(mk(1, 10, 12, 9, 11), granularity::five_minute), drop_reason::misaligned_bucket);
}

TEST(Bar, RefusesNonFiniteDoubles) {
  bar out;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const auto g = granularity::one_minute;
  EXPECT_EQ(bar_from_doubles(day0, nan, 2, 1, 1.5, 1, g, out), drop_reason::non_finite_price);
  EXPECT_EQ(bar_from_doubles(day0, 1, inf, 1, 1, 1, g, out), drop_reason::non_finite_price);
  EXPECT_EQ(bar_from_doubles(day0, 1, 1e12, 1, 1, 1, g, out), drop_reason::non_finite_price);
  EXPECT_EQ(bar_from_doubles(day0, 1, 2, 1, 1.5, nan, g, out), drop_reason::non_finite_price);
  EXPECT_EQ(bar_from_doubles(day0, -1, 2, 1, 1.5, 1, g, out), drop_reason::non_positive_price);
  ASSERT_FALSE(bar_from_doubles(day0, 1, 2, 1, 1.5, 3, g, out));
  EXPECT_EQ(out, mk(0, 1, 2, 1, 1.5, 3));
}

TEST(Bar, CountsDropsByReasonAndFlagsTheFirstOfEach) {
  drop_counts c;
  EXPECT_TRUE(c.add(drop_reason::late_trade));
  EXPECT_FALSE(c.add(drop_reason::late_trade));
  EXPECT_TRUE(c.add(drop_reason::high_below_low));
  EXPECT_EQ(c[drop_reason::late_trade], 2u);
  EXPECT_EQ(c.total(), 3u);
  EXPECT_EQ(name(drop_reason::duplicate_bucket), "duplicate_bucket");
  EXPECT_EQ(name(drop_reason::partial_bucket), "partial_bucket");
}
