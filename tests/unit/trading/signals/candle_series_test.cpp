#include "actors/trading/signals/candle_series.hpp"

#include "test_bars.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::signals;
using namespace trader::signals::test;

namespace {
constexpr auto m1 = granularity::one_minute;
} // namespace

TEST(CandleSeries, KeepsTheNewestBarsUpToCapacityOldestFirst) {
  candle_series s{m1, 4};
  for (int m = 0; m < 10; ++m)
    ASSERT_TRUE(s.append(flat(m, 100 + m)).stored);
  ASSERT_EQ(s.size(), 4u);
  auto all = s.bars();
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(all[i].start, at_min(6 + static_cast<int>(i)));
  EXPECT_EQ(s.newest()->close, px(109));
  EXPECT_EQ(s.last(2).front().start, at_min(8));
  EXPECT_EQ(s.last(99).size(), 4u);
}

TEST(CandleSeries, UsesAtMostSixtyFourBytesPerStoredBar) {
  candle_series s{m1, 500};
  EXPECT_LE(s.bytes_per_bar(), 64.0);
}

TEST(CandleSeries, DropsDuplicateAndOutOfOrderBucketsByReason) {
  candle_series s{m1, 10};
  s.append(flat(0, 1));
  s.append(flat(2, 1));
  EXPECT_EQ(s.append(flat(2, 5)).dropped, drop_reason::duplicate_bucket);
  EXPECT_EQ(s.append(flat(0, 5)).dropped, drop_reason::duplicate_bucket);
  EXPECT_EQ(s.append(flat(1, 5)).dropped, drop_reason::out_of_order_bucket);
  EXPECT_EQ(s.drops()[drop_reason::duplicate_bucket], 2u);
  EXPECT_EQ(s.drops()[drop_reason::out_of_order_bucket], 1u);
  EXPECT_EQ(s.newest()->close, px(1));
}

TEST(CandleSeries, DropsBadValuesWithoutStoringThem) {
  candle_series s{m1, 10};
  EXPECT_EQ(s.append(mk(0, 10, 9, 12, 10)).dropped, drop_reason::high_below_low);
  EXPECT_EQ(s.append(mk(0, 10, 12, 9, 10, -1)).dropped, drop_reason::negative_volume);
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.drops().total(), 2u);
}

TEST(CandleSeries, ReportsMissingBucketsAsAGap) {
  candle_series s{m1, 10};
  s.append(flat(0, 1));
  auto r = s.append(flat(4, 1));
  EXPECT_TRUE(r.stored);
  EXPECT_EQ(r.missing_before, 3);
  ASSERT_EQ(s.gaps().size(), 1u);
  EXPECT_EQ(s.gaps()[0], (gap{at_min(1), at_min(4)}));
}

TEST(CandleSeries, BackfillClosesAGapAndKeepsStoredBars) {
  candle_series s{m1, 10};
  s.append(flat(0, 1));
  s.append(flat(4, 1));
  std::vector<bar> page{flat(3, 7), flat(1, 7), flat(2, 7), flat(4, 9)};  // any order; 4 already stored
  auto r = s.merge(page);
  EXPECT_EQ(r.added, 3u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.gaps, 0u);
  EXPECT_TRUE(s.gaps().empty());
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s.find(at_min(4))->close, px(1));  // the stored bar wins
  EXPECT_EQ(s.find(at_min(2))->close, px(7));
  EXPECT_FALSE(s.status(at_min(5), {}).blocked());
}

TEST(CandleSeries, BackfillDeduplicatesWithinAPageAndDropsBadBars) {
  candle_series s{m1, 10};
  std::vector<bar> page{flat(0, 1), flat(1, 2), flat(1, 3), mk(2, 1, 0.5, 2, 1)};
  auto r = s.merge(page);
  EXPECT_EQ(r.added, 2u);
  EXPECT_EQ(r.duplicates, 1u);
  EXPECT_EQ(r.dropped, 1u);
  EXPECT_EQ(s.drops()[drop_reason::high_below_low], 1u);
  EXPECT_EQ(s.find(at_min(1))->close, px(2));
}

TEST(CandleSeries, BackfillOlderThanTheWindowIsNotStored) {
  candle_series s{m1, 3};
  for (int m = 10; m < 13; ++m)
    s.append(flat(m, 1));
  auto r = s.merge(std::vector<bar>{flat(1, 2), flat(2, 2)});
  EXPECT_EQ(r.added, 0u);
  EXPECT_EQ(r.too_old, 2u);
  EXPECT_EQ(s.bars().front().start, at_min(10));
}

TEST(CandleSeries, AppendAfterCompactionKeepsOrder) {
  candle_series s{m1, 8};
  for (int m = 0; m < 100; ++m)
    s.append(flat(m, m + 1));
  auto all = s.bars();
  ASSERT_EQ(all.size(), 8u);
  for (std::size_t i = 1; i < all.size(); ++i)
    EXPECT_EQ(all[i].start - all[i - 1].start, 60 * ns_per_s);
  EXPECT_EQ(all.back().close, px(100));
}

TEST(CandleSeries, AGapLeavesWithTheOldestBar) {
  candle_series s{m1, 3};
  s.append(flat(0, 1));
  s.append(flat(5, 1));  // gap 1..4
  EXPECT_EQ(s.status(at_min(6), {}).block, series_block::gap);
  s.append(flat(6, 1));
  s.append(flat(7, 1));  // minute 0 leaves, and the gap with it
  EXPECT_TRUE(s.gaps().empty());
  EXPECT_FALSE(s.status(at_min(8), {}).blocked());
}

TEST(CandleSeries, IsBlockedWhenEmptyStaleWarmingUpOrGapped) {
  candle_series s{m1, 10};
  EXPECT_EQ(s.status(at_min(1), {}).block, series_block::no_bars);
  s.append(flat(0, 1));
  freshness_policy p;
  p.max_stale_intervals = 3;
  EXPECT_FALSE(s.status(at_min(1), p).blocked());      // minute 0 just closed
  EXPECT_FALSE(s.status(at_min(4) + 1, p).blocked());  // 3 intervals behind: the limit
  auto stale = s.status(at_min(5), p);
  EXPECT_EQ(stale.block, series_block::stale);
  EXPECT_EQ(stale.reason, "stale: newest closed bar 4 intervals behind (limit 3)");
  p.min_bars = 5;
  EXPECT_EQ(s.status(at_min(1), p).block, series_block::warming_up);
  EXPECT_EQ(name(series_block::warming_up), "warming_up");
}

// The stamp the signal engine caches its answers under: new with every stored change, the
// same while only read, and never shared by two series.
TEST(CandleSeries, TheStampChangesWithTheBarsAndOnlyWithThem) {
  candle_series s{m1, 3}, other{m1, 3};
  EXPECT_NE(s.stamp(), other.stamp());
  const auto empty = s.stamp();
  s.append(flat(0, 1));
  const auto one = s.stamp();
  EXPECT_NE(one, empty);
  (void)s.bars(), (void)s.newest(), (void)s.gaps();
  EXPECT_EQ(s.stamp(), one);
  s.append(flat(0, 5));  // a duplicate: dropped, nothing stored changed
  EXPECT_EQ(s.stamp(), one);
  for (int m = 1; m < 5; ++m)  // the oldest bars leave at capacity: still a new stamp each time
    s.append(flat(m, 1));
  const auto full = s.stamp();
  EXPECT_NE(full, one);
  const bar page[] = {flat(3, 1)};
  s.merge(page);
  EXPECT_NE(s.stamp(), full);
  other.append(flat(0, 1));
  EXPECT_NE(other.stamp(), one);
}
