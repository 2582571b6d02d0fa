#include "actors/trading/signals/candle_store.hpp"

#include "test_bars.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::signals;
using namespace trader::signals::test;

namespace {
const product_id btc{"BTC-USD"};
constexpr auto m1 = granularity::one_minute;
constexpr auto m5 = granularity::five_minute;
constexpr auto h1 = granularity::one_hour;

candle as_candle(const bar& b, granularity g) {
  candle c;
  c.product = btc;
  c.granularity_s = static_cast<std::int32_t>(seconds(g));
  c.start = b.start;
  c.open = b.open;
  c.high = b.high;
  c.low = b.low;
  c.close = b.close;
  c.volume = b.volume;
  return c;
}
} // namespace

TEST(CandleStore, BuildsMinuteAndLargerBarsFromTrades) {
  candle_store s;
  s.start(btc, at_min(0));
  for (int sec = 0; sec < 3600; sec += 10)
    ASSERT_FALSE(s.on_trade(btc, px(100 + sec / 60), qty(1), at_s(sec)));
  s.advance(at_min(60));
  ASSERT_EQ(s.series(btc, m1)->size(), 60u);
  ASSERT_EQ(s.series(btc, m5)->size(), 12u);
  ASSERT_EQ(s.series(btc, granularity::fifteen_minute)->size(), 4u);
  ASSERT_EQ(s.series(btc, h1)->size(), 1u);
  EXPECT_EQ(*s.series(btc, h1)->newest(), mk(0, 100, 159, 100, 159, 360));
  EXPECT_EQ(s.series(btc, granularity::one_day)->size(), 0u);  // the day has not ended
  EXPECT_EQ(s.forming_bar(btc, granularity::one_day)->high, px(159));
}

TEST(CandleStore, HandsOutOnlyClosedBars) {
  candle_store s;
  s.start(btc, at_min(0));
  s.on_trade(btc, px(100), qty(1), at_s(5));
  s.advance(at_s(59));
  EXPECT_TRUE(s.series(btc, m1)->empty());
  EXPECT_TRUE(s.forming_bar(btc, m1));
  EXPECT_EQ(s.status(btc, m1, at_s(59), {}).block, series_block::no_bars);
  s.advance(at_min(1));
  EXPECT_EQ(s.series(btc, m1)->size(), 1u);
}

TEST(CandleStore, BackfillFillsWhatStartedBeforeWeListened) {
  candle_store s;
  s.start(btc, at_s(150));  // mid-minute 2, mid 5-minute bucket 0
  for (int sec = 150; sec < 600; sec += 15)
    s.on_trade(btc, px(100), qty(1), at_s(sec));
  s.advance(at_min(10));
  EXPECT_EQ(s.series(btc, m1)->size(), 7u);  // minutes 3..9
  EXPECT_EQ(s.series(btc, m5)->size(), 1u);  // bucket 5; bucket 0 partial
  EXPECT_GE(s.drops(btc)[drop_reason::partial_bucket], 2u);
  std::vector<candle> page;
  for (int m = 0; m < 10; ++m)
    page.push_back(as_candle(flat(m, 99), m1));
  auto r = s.backfill(btc, m1, page);
  EXPECT_EQ(r.added, 3u);
  EXPECT_EQ(r.duplicates, 7u);
  EXPECT_EQ(s.series(btc, m1)->size(), 10u);
  EXPECT_FALSE(s.status(btc, m1, at_min(10), {}).blocked());
}

TEST(CandleStore, BlocksAProductWhoseFeedWentQuiet) {
  store_options o;
  o.build.max_empty_fill = 2;
  candle_store s{o};
  s.start(btc, at_min(0));
  s.on_trade(btc, px(100), qty(1), at_s(1));
  s.advance(at_min(10));
  freshness_policy f;
  f.max_stale_intervals = 3;
  auto st = s.status(btc, m1, at_min(10), f);
  EXPECT_EQ(st.block, series_block::stale);
  EXPECT_EQ(s.status(product_id{"ETH-USD"}, m1, at_min(10), f).block, series_block::no_bars);
}

TEST(CandleStore, KeepsEveryProductApart) {
  candle_store s;
  const product_id eth{"ETH-USD"};
  s.start(btc, at_min(0));
  s.start(eth, at_min(0));
  s.on_trade(btc, px(100), qty(1), at_s(1));
  s.on_trade(eth, px(10), qty(1), at_s(1));
  EXPECT_EQ(s.on_trade(eth, px(-1), qty(1), at_s(2)), drop_reason::non_positive_price);
  EXPECT_EQ(s.advance(at_min(1)), 2u);
  EXPECT_EQ(s.series(btc, m1)->newest()->close, px(100));
  EXPECT_EQ(s.series(eth, m1)->newest()->close, px(10));
  EXPECT_EQ(s.drops(eth)[drop_reason::non_positive_price], 1u);
  EXPECT_EQ(s.drops(btc).total(), 0u);
  EXPECT_EQ(s.products(), (std::vector<product_id>{btc, eth}));
}

TEST(CandleStore, BackfillsAGranularityItDoesNotBuild) {
  store_options o;
  o.granularities = {m5};
  candle_store s{o};
  std::vector<candle> page{as_candle(flat(0, 5), granularity::six_hour)};
  EXPECT_EQ(s.backfill(btc, granularity::six_hour, page).added, 1u);
  EXPECT_EQ(s.series(btc, granularity::six_hour)->size(), 1u);
  EXPECT_EQ(s.series(btc, h1), nullptr);
}

TEST(CandleStore, AggregatesReplayedMinuteBars) {
  candle_store s;
  for (int m = 0; m < 15; ++m)
    ASSERT_TRUE(s.on_bar(btc, mk(m, 100 + m, 101 + m, 99 + m, 100.5 + m, 2)).stored);
  EXPECT_EQ(s.on_bar(btc, flat(3, 1)).dropped, drop_reason::duplicate_bucket);
  s.advance(at_min(15));
  EXPECT_EQ(s.series(btc, m1)->size(), 15u);
  ASSERT_EQ(s.series(btc, m5)->size(), 3u);
  EXPECT_EQ(s.series(btc, m5)->bars()[1], mk(5, 105, 110, 104, 109.5, 10));
  EXPECT_EQ(s.series(btc, granularity::fifteen_minute)->size(), 1u);
}

TEST(CandleStore, CrossChecksAnExchangeCandleAgainstTheBuiltBar) {
  candle_store s;
  for (int m = 0; m < 5; ++m)
    s.on_bar(btc, mk(m, 100, 102, 99, 101, 2));
  s.advance(at_min(5));
  auto same = s.cross_check(as_candle(mk(0, 100, 102, 99, 101, 10), m5));
  EXPECT_TRUE(same.compared);
  EXPECT_EQ(same.close_diff_pct, 0.0);
  EXPECT_EQ(same.range_diff_pct, 0.0);
  EXPECT_EQ(same.volume_diff_pct, 0.0);
  auto off = s.cross_check(as_candle(mk(0, 100, 104, 99, 101.101, 8), m5));
  EXPECT_NEAR(off.close_diff_pct, 0.101 / 101.101 * 100, 1e-9);
  EXPECT_NEAR(off.range_diff_pct, 2.0 / 104 * 100, 1e-9);
  EXPECT_NEAR(off.volume_diff_pct, 25.0, 1e-9);
  EXPECT_FALSE(s.cross_check(as_candle(mk(5, 100, 102, 99, 101, 10), m5)).compared);  // still forming
}
