#include "actors/trading/signals/bar_builder.hpp"

#include "test_bars.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::signals;
using namespace trader::signals::test;

namespace {
constexpr auto m1 = granularity::one_minute;
constexpr auto m5 = granularity::five_minute;

std::vector<bar> close_until(bar_builder& b, ts_ns now) {
  std::vector<bar> out;
  b.close_until(now, out);
  return out;
}
} // namespace

TEST(BarBuilder, BuildsAMinuteBarFromTrades) {
  bar_builder b{m1};
  b.reset(at_min(0));
  b.add_trade(px(100), qty(1), at_s(1));
  b.add_trade(px(103), qty(2), at_s(20));
  b.add_trade(px(99), qty(0.5), at_s(40));
  b.add_trade(px(101), qty(1), at_s(59));
  auto out = close_until(b, at_min(1));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], mk(0, 100, 103, 99, 101, 4.5));
}

TEST(BarBuilder, ClosesABarOnlyWhenItsIntervalHasEnded) {
  bar_builder b{m1};
  b.reset(at_min(0));
  b.add_trade(px(100), qty(1), at_s(10));
  EXPECT_TRUE(close_until(b, at_s(59)).empty());
  ASSERT_TRUE(b.forming());  // visible only as the forming bar
  EXPECT_EQ(b.forming()->close, px(100));
  EXPECT_EQ(close_until(b, at_s(60)).size(), 1u);
  EXPECT_FALSE(b.forming());
}

TEST(BarBuilder, HoldsABucketThatATradeShowedEndedUntilTheClockPassesIt) {
  bar_builder b{m1};
  b.reset(at_min(0));
  b.add_trade(px(100), qty(1), at_s(10));
  b.add_trade(px(101), qty(1), at_s(61));  // exchange time ahead of our clock
  EXPECT_TRUE(close_until(b, at_s(59)).empty());
  EXPECT_EQ(close_until(b, at_s(60)).size(), 1u);
}

TEST(BarBuilder, NeverEmitsTheBucketItStartedListeningIn) {
  bar_builder b{m1};
  b.reset(at_s(30));
  b.add_trade(px(100), qty(1), at_s(45));
  b.add_trade(px(100), qty(1), at_s(75));
  auto out = close_until(b, at_min(2));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start, at_min(1));
  EXPECT_EQ(b.drops()[drop_reason::partial_bucket], 1u);
}

TEST(BarBuilder, DropsLateAndBadTrades) {
  bar_builder b{m1};
  b.reset(at_min(0));
  b.add_trade(px(100), qty(1), at_s(10));
  close_until(b, at_min(1));
  EXPECT_EQ(b.add_trade(px(100), qty(1), at_s(50)), drop_reason::late_trade);
  EXPECT_EQ(b.add_trade(px(0), qty(1), at_s(70)), drop_reason::non_positive_price);
  EXPECT_EQ(b.add_trade(px(100), qty(-1), at_s(70)), drop_reason::negative_volume);
  EXPECT_EQ(b.drops().total(), 3u);
}

TEST(BarBuilder, FillsQuietMinutesWithFlatBarsUpToTheLimit) {
  builder_options o;
  o.max_empty_fill = 2;
  bar_builder b{m1, o};
  b.reset(at_min(0));
  b.add_trade(px(100), qty(1), at_s(10));
  auto out = close_until(b, at_min(6));
  ASSERT_EQ(out.size(), 3u);  // the trade bar and two flat bars; then a gap
  EXPECT_EQ(out[1], mk(1, 100, 100, 100, 100, 0));
  EXPECT_EQ(out[2].start, at_min(2));
  b.add_trade(px(105), qty(1), at_s(7 * 60 + 1));
  out = close_until(b, at_min(8));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start, at_min(7));
}

TEST(BarBuilder, LeavesQuietMinutesEmptyWhenFillingIsOff) {
  builder_options o;
  o.fill_empty = false;
  bar_builder b{m1, o};
  b.reset(at_min(0));
  b.add_trade(px(100), qty(1), at_s(10));
  b.add_trade(px(101), qty(1), at_s(190));
  auto out = close_until(b, at_min(4));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].start, at_min(3));
}

TEST(BarBuilder, AggregatesMinuteBarsIntoFiveMinuteBars) {
  bar_builder b{m5};
  b.reset(at_min(0));
  for (int m = 0; m < 5; ++m)
    b.add_bar(mk(m, 100 + m, 110 + m, 90 + m, 101 + m, 2), m1);
  EXPECT_TRUE(close_until(b, at_min(5) - 1).empty());
  auto out = close_until(b, at_min(5));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], mk(0, 100, 114, 90, 105, 10));
}

TEST(BarBuilder, AggregatesOnTimeEvenWithoutTheBucketsLastMinute) {
  builder_options o;
  o.fill_empty = false;
  bar_builder b{m5, o};
  b.reset(at_min(0));
  b.add_bar(flat(0, 100), m1);
  b.add_bar(flat(1, 101), m1);
  auto out = close_until(b, at_min(5));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].close, px(101));
}

TEST(BarBuilder, MarksALargerBucketWithAMissingMinutePartial) {
  bar_builder b{m5};
  b.reset(at_min(0));
  b.add_bar(flat(0, 100), m1);
  b.add_bar(flat(2, 100), m1);  // minute 1 lost
  b.add_bar(flat(5, 100), m1);
  auto out = close_until(b, at_min(10));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].start, at_min(5));
  EXPECT_EQ(b.drops()[drop_reason::partial_bucket], 1u);
}

TEST(BarBuilder, DropsASmallerBarOutOfOrder) {
  bar_builder b{m5};
  b.reset(at_min(0));
  b.add_bar(flat(1, 100), m1);
  EXPECT_EQ(b.add_bar(flat(1, 100), m1), drop_reason::out_of_order_bucket);
  EXPECT_EQ(b.add_bar(mk(2, 100, 90, 110, 100), m1), drop_reason::high_below_low);
}
