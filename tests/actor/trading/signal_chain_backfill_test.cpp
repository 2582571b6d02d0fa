// The triggers' REST backfill in the decision chain: pages under the bucket limit covering the
// capacity, a stale series from its newest bar, one page at a time, and a history asked
// while products is not running (subtrees start concurrently) asked again.

#include "tests/actor/trading/signal_chain_fixture.hpp"

using namespace trader;
using namespace trader::signal_chain_test;

namespace {

TEST_F(SignalChainTest, AnEmptySeriesIsBackfilledInPagesUnderTheBucketLimitCoveringItsCapacity) {
  start();
  std::set<ts_ns> btc;
  for (const auto& q : box->pages) {
    EXPECT_LE(q.count, 60);  // backfill_bars
    EXPECT_GT(q.end_s, 0);
    if (q.product.value == "BTC-USD")
      for (std::int64_t k = 0; k < q.count; ++k)
        btc.insert(q.end_s * ns_per_s - k * minute);
  }
  // 500 one-minute buckets (the capacity) up to minute 29, the newest that has ended.
  EXPECT_EQ(btc.size(), 500u);
  EXPECT_EQ(*btc.rbegin(), t0 + 29 * minute);
  EXPECT_EQ(*btc.begin(), t0 + 29 * minute - 499 * minute);
}

TEST_F(SignalChainTest, AStaleSeriesIsBackfilledFromItsNewestBarToTheLastEndedBucket) {
  start();
  box->pages.clear();
  box->now += 4 * minute + 40 * ns_per_s;  // minute 33 has ended; no trades came since minute 29
  caf::anon_send(triggers, caf::atom("tr_poll"));
  run();
  std::vector<get_candles> btc;
  for (const auto& q : box->pages)
    if (q.product.value == "BTC-USD")
      btc.push_back(q);
  ASSERT_EQ(btc.size(), 1u);
  EXPECT_EQ(btc[0].end_s * ns_per_s, t0 + 33 * minute);
  EXPECT_EQ(btc[0].count, 4);  // minutes 30..33
  auto sig = ask(triggers, get_signals{});
  EXPECT_EQ(sig["products"].size(), 0u);  // nothing evaluated yet: no tick
}

// Backfill is paced: one page in flight, the next backfill_spacing after its answer, so a
// start with many products leaves the public REST budget to smoke, quotes and reconcile.
TEST_F(SignalChainTest, BackfillAsksOnePageAtATimeSpacedBySpacing) {
  spacing = 250ms;
  start();
  ASSERT_EQ(box->pages.size(), 1u);  // answered at once; the next waits for the pause
  advance(249ms);
  EXPECT_EQ(box->pages.size(), 1u);
  advance(1ms);
  EXPECT_EQ(box->pages.size(), 2u);
  for (int i = 0; i < 40; ++i)
    advance(250ms);
  // Both products' 500 buckets, 60 a page: 9 pages each, and nothing asked twice.
  EXPECT_EQ(box->pages.size(), 18u);
  std::set<std::pair<std::string, std::int64_t>> distinct;
  for (const auto& q : box->pages)
    distinct.insert({q.product.value, q.end_s});
  EXPECT_EQ(distinct.size(), box->pages.size());
}

// Subtrees start concurrently: triggers may ask for history before products runs. Those
// failures ("no instance") are asked again at the next poll, not backfill_retry (30 s) later.
TEST_F(SignalChainTest, AHistoryAskedBeforeProductsRunsIsAskedAgainAtTheNextPoll) {
  with_products = false;
  start();
  EXPECT_EQ(box->candle_requests, 0);
  auto sig = ask(triggers, get_signals{});
  EXPECT_EQ(sig["base_series"]["BTC-USD"]["bars"], 0);
  EXPECT_TRUE(sig["base_series"]["BTC-USD"]["newest"].is_null());
  EXPECT_EQ(sig["backfill_pending"], 0);
  reg_.put(names::products, products);
  poll_triggers();
  sig = ask(triggers, get_signals{});
  for (const char* p : {"BTC-USD", "ETH-USD"}) {
    EXPECT_EQ(sig["base_series"][p]["bars"], 500) << p;
    EXPECT_EQ(sig["base_series"][p]["newest"], format_rfc3339(t0 + 29 * minute)) << p;
    EXPECT_EQ(sig["base_series"][p]["gaps"], 0) << p;
  }
}

// The newest page failed (products not up yet), the older ones queued behind it were
// answered: the series' stale end is asked at the first poll after they are in — a poll
// while they were still queued must not use up the series' retry.
TEST_F(SignalChainTest, AStaleEndLeftByAFailedNewestPageIsAskedOnceTheOlderPagesAreIn) {
  with_products = false;
  spacing = 250ms;
  start();  // the newest BTC page fails; the rest wait for the spacing
  reg_.put(names::products, products);
  poll_triggers();  // pages still queued: nothing to judge yet (nor a retry to use up)
  for (int i = 0; i < 44; ++i)  // the older pages, then the polls after them (box->now stays)
    advance(250ms);
  auto sig = ask(triggers, get_signals{});
  ASSERT_EQ(sig["backfill_pending"], 0);
  EXPECT_EQ(sig["base_series"]["BTC-USD"]["bars"], 500);
  EXPECT_EQ(sig["base_series"]["BTC-USD"]["newest"], format_rfc3339(t0 + 29 * minute));
  EXPECT_EQ(sig["base_series"]["BTC-USD"]["gaps"], 0);
}

} // namespace
