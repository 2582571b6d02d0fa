// REST backfill as ranges paged under Coinbase's 350-bucket limit (issue 14): what the
// engine wants for an empty, stale, gapped or short series, and how a range becomes pages.

#include "actors/trading/signals/signal_engine.hpp"
#include "test_bars.hpp"

#include <gtest/gtest.h>

#include <set>

namespace trader::signals {
namespace {

using test::at_min;

engine_params one_minute(std::size_t capacity = 500) {
  engine_params p;
  p.triggers.granularity = "ONE_MINUTE";
  p.triggers.breakout.enabled = false;
  p.triggers.volume_spike.enabled = false;
  p.triggers.momentum = {true, 5, 1.0};
  p.capacity = capacity;
  return p;
}

std::vector<candle> flat_candles(std::int64_t from, std::int64_t to) {
  std::vector<candle> out;
  for (auto m = from; m < to; ++m)
    out.push_back(candle{product_id{"BTC-USD"}, 60, at_min(m), test::px(100), test::px(100), test::px(100),
                         test::px(100), test::qty(1), 0});
  return out;
}

/// Every bucket start (minutes of day0) the pages ask for.
std::set<std::int64_t> covered(const std::vector<candle_page>& pages) {
  std::set<std::int64_t> out;
  for (const auto& p : pages)
    for (std::int64_t k = 0; k < p.count; ++k)
      out.insert((p.end_s * ns_per_s - k * 60 * ns_per_s - test::day0) / (60 * ns_per_s));
  return out;
}

TEST(BackfillPages, ARangeLongerThanAPageIsPagedNewestFirstWithoutHoles) {
  backfill_want w{product_id{"BTC-USD"}, granularity::one_minute, "empty", at_min(1000), at_min(1700)};
  auto pages = backfill_pages(w, 300, 10);
  ASSERT_EQ(pages.size(), 3u);  // 700 buckets: 300 + 300 + 100
  EXPECT_EQ(pages[0], (candle_page{at_min(1699) / ns_per_s, 300}));
  EXPECT_EQ(pages[1], (candle_page{at_min(1399) / ns_per_s, 300}));
  EXPECT_EQ(pages[2], (candle_page{at_min(1099) / ns_per_s, 100}));
  auto c = covered(pages);
  EXPECT_EQ(c.size(), 700u);
  EXPECT_EQ(*c.begin(), 1000);
  EXPECT_EQ(*c.rbegin(), 1699);
  for (const auto& p : pages)
    EXPECT_LT(p.count, 350);
}

TEST(BackfillPages, MaxPagesLeavesTheOldestOutAndAnEmptyRangeAsksNothing) {
  backfill_want w{product_id{"BTC-USD"}, granularity::one_minute, "gap", at_min(0), at_min(1000)};
  auto pages = backfill_pages(w, 300, 2);
  ASSERT_EQ(pages.size(), 2u);
  EXPECT_EQ(*covered(pages).begin(), 400);
  w.to = w.from;
  EXPECT_TRUE(backfill_pages(w, 300, 10).empty());
}

TEST(BackfillPages, AOneBucketGapIsOnePageOfOne) {
  backfill_want w{product_id{"BTC-USD"}, granularity::five_minute, "gap", at_min(25), at_min(30)};
  auto pages = backfill_pages(w, 300, 10);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0], (candle_page{at_min(25) / ns_per_s, 1}));
}

TEST(BackfillWanted, AnEmptySeriesWantsTheWholeCapacityWindowUpToTheLastEndedBucket) {
  signal_engine e(one_minute(500));
  auto w = e.wanted(product_id{"BTC-USD"}, at_min(1000) + 30 * ns_per_s);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].why, "empty");
  EXPECT_EQ(w[0].from, at_min(500));
  EXPECT_EQ(w[0].to, at_min(1000));  // minute 1000 is still forming
  EXPECT_EQ(covered(backfill_pages(w[0], 300, 10)).size(), 500u);
}

TEST(BackfillWanted, AGapIsAskedForExactlyAndAStaleTailFromTheNewestBar) {
  signal_engine e(one_minute(500));
  auto page = flat_candles(500, 700);
  auto later = flat_candles(720, 990);
  page.insert(page.end(), later.begin(), later.end());
  e.backfill(product_id{"BTC-USD"}, granularity::one_minute, page, at_min(1000));
  auto w = e.wanted(product_id{"BTC-USD"}, at_min(1000));
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].why, "stale");
  EXPECT_EQ(w[0].from, at_min(990));
  EXPECT_EQ(w[0].to, at_min(1000));
  EXPECT_EQ(w[1].why, "gap");
  EXPECT_EQ(w[1].from, at_min(700));
  EXPECT_EQ(w[1].to, at_min(720));
  // Answering the pages closes both.
  e.backfill(product_id{"BTC-USD"}, granularity::one_minute, flat_candles(700, 720), at_min(1000));
  e.backfill(product_id{"BTC-USD"}, granularity::one_minute, flat_candles(990, 1000), at_min(1000));
  EXPECT_TRUE(e.wanted(product_id{"BTC-USD"}, at_min(1000)).empty());
}

TEST(BackfillWanted, AGapOlderThanTheCapacityWindowIsNotAskedFor) {
  signal_engine e(one_minute(100));
  auto page = flat_candles(880, 890);
  auto later = flat_candles(895, 1000);
  page.insert(page.end(), later.begin(), later.end());
  e.backfill(product_id{"BTC-USD"}, granularity::one_minute, page, at_min(1000));
  // The series keeps the newest 100 bars (minutes 900..999): the gap fell out with 880..889.
  EXPECT_TRUE(e.wanted(product_id{"BTC-USD"}, at_min(1000)).empty());
}

TEST(BackfillWanted, AShortSeriesWantsTheOlderHistoryItNeeds) {
  signal_engine e(one_minute(500));
  e.backfill(product_id{"BTC-USD"}, granularity::one_minute, flat_candles(997, 1000), at_min(1000));
  auto w = e.wanted(product_id{"BTC-USD"}, at_min(1000));
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].why, "short");
  EXPECT_EQ(w[0].from, at_min(500));
  EXPECT_EQ(w[0].to, at_min(997));
}

TEST(BackfillQuiet, BucketsAnAnsweredPageLeftOutBecomeFlatBarsLongGapsStay) {
  signal_engine e(one_minute(500));
  const product_id btc{"BTC-USD"};
  auto page = flat_candles(500, 700);
  auto later = flat_candles(703, 900);   // 700..702 without trades: Coinbase leaves them out
  auto much_later = flat_candles(990, 1000);  // 900..989: 90 buckets, longer than max_empty_fill (60)
  page.insert(page.end(), later.begin(), later.end());
  page.insert(page.end(), much_later.begin(), much_later.end());
  e.backfill(btc, granularity::one_minute, page, at_min(1000));
  ASSERT_EQ(e.store().series(btc, granularity::one_minute)->gaps().size(), 2u);
  // A page answered for minutes 600..799 covers the short gap only.
  EXPECT_EQ(e.fill_quiet(btc, granularity::one_minute, at_min(600), at_min(800)), 3u);
  const auto* s = e.store().series(btc, granularity::one_minute);
  ASSERT_EQ(s->gaps().size(), 1u);
  auto filled = s->find(at_min(701));
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->close, test::px(100));
  EXPECT_EQ(filled->volume, size{});
  // The long gap stays (lost data, not a quiet minute), even inside an answered window.
  EXPECT_EQ(e.fill_quiet(btc, granularity::one_minute, at_min(800), at_min(1000)), 0u);
  // And a gap only partly inside the window stays too.
  signal_engine f(one_minute(500));
  auto p2 = flat_candles(500, 700);
  auto l2 = flat_candles(705, 1000);
  p2.insert(p2.end(), l2.begin(), l2.end());
  f.backfill(btc, granularity::one_minute, p2, at_min(1000));
  EXPECT_EQ(f.fill_quiet(btc, granularity::one_minute, at_min(702), at_min(800)), 0u);
}

} // namespace
} // namespace trader::signals
