// Order book, sequence tracker, staleness monitor, gate aggregation, fill
// bookkeeping and subscribe builders: the pure pieces of market_data and user_stream.
#include "actors/exchange/feed/alert_latch.hpp"
#include "actors/exchange/feed/feed_state.hpp"
#include "actors/exchange/feed/order_book.hpp"
#include "actors/exchange/feed/ws_requests.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace trader::feed {
namespace {

product_id pid(const char* s) { return product_id{s}; }
book_level lvl(std::int64_t px, std::int64_t qty) { return {price::from_int(px), size::from_int(qty)}; }

book_update upd(bool snap, std::vector<book_level> bids, std::vector<book_level> asks, std::int64_t seq = 1) {
  book_update u;
  u.product = pid("BTC-USD");
  u.is_snapshot = snap;
  u.bids = std::move(bids);
  u.asks = std::move(asks);
  u.sequence = seq;
  return u;
}

TEST(OrderBook, SnapshotThenUpdatesKeepBestFirst) {
  order_book b;
  b.apply(upd(true, {lvl(99, 1), lvl(100, 2)}, {lvl(102, 1), lvl(101, 3)}));
  EXPECT_EQ(b.best_bid()->px, price::from_int(100));
  EXPECT_EQ(b.best_ask()->px, price::from_int(101));
  b.apply(upd(false, {lvl(100, 0), lvl(98, 5)}, {lvl(101, 4)}, 2));
  EXPECT_EQ(b.best_bid()->px, price::from_int(99));
  EXPECT_EQ(b.best_ask()->qty, size::from_int(4));
  auto top = b.top(pid("BTC-USD"), 2);
  ASSERT_EQ(top.bids.size(), 2u);
  EXPECT_EQ(top.bids[1].px, price::from_int(98));
  EXPECT_EQ(top.asks[1].px, price::from_int(102));
  EXPECT_EQ(top.sequence, 2);
}

TEST(OrderBook, DeleteOfUnknownLevelIsToleratedAndCounted) {
  order_book b;
  b.apply(upd(true, {lvl(100, 1)}, {lvl(101, 1)}));
  auto r = b.apply(upd(false, {lvl(50, 0)}, {lvl(500, 0)}));
  EXPECT_TRUE(r.applied);
  EXPECT_EQ(r.unknown_deletes, 2u);
  EXPECT_EQ(b.bid_levels(), 1u);
}

TEST(OrderBook, UpdatesBeforeSnapshotAndAfterInvalidateAreIgnored) {
  order_book b;
  EXPECT_FALSE(b.apply(upd(false, {lvl(100, 1)}, {})).applied);
  EXPECT_EQ(b.bid_levels(), 0u);
  b.apply(upd(true, {lvl(100, 1)}, {lvl(101, 1)}));
  b.invalidate();
  EXPECT_FALSE(b.has_snapshot());
  EXPECT_FALSE(b.apply(upd(false, {lvl(99, 1)}, {})).applied);
  EXPECT_TRUE(b.apply(upd(true, {lvl(97, 1)}, {lvl(98, 1)})).applied);
  EXPECT_EQ(b.best_bid()->px, price::from_int(97));
}

TEST(OrderBook, CrossedBookIsDetected) {
  order_book b;
  b.apply(upd(true, {lvl(100, 1)}, {lvl(101, 1)}));
  EXPECT_FALSE(b.crossed());
  b.apply(upd(false, {lvl(101, 1)}, {}));
  EXPECT_TRUE(b.crossed());
}

TEST(SequenceTracker, ContiguousGapAndOld) {
  sequence_tracker t;
  EXPECT_EQ(t.observe(5).v, sequence_tracker::verdict::first);
  EXPECT_EQ(t.observe(6).v, sequence_tracker::verdict::in_order);
  auto g = t.observe(9);
  EXPECT_EQ(g.v, sequence_tracker::verdict::gap);
  EXPECT_EQ(g.expected, 7);
  EXPECT_EQ(g.missing, 2);
  EXPECT_EQ(t.observe(10).v, sequence_tracker::verdict::in_order);
  EXPECT_EQ(t.observe(4).v, sequence_tracker::verdict::old);
  EXPECT_EQ(t.gaps(), 1u);
  t.reset();  // a new connection counts from 0 again
  EXPECT_EQ(t.observe(0).v, sequence_tracker::verdict::first);
}

TEST(StalenessMonitor, ProductTurnsStaleOnceAndRecoversOnData) {
  staleness_monitor m(1000);
  m.watch(pid("BTC-USD"), 0);
  m.watch(pid("ETH-USD"), 0);
  EXPECT_TRUE(m.check(1000).empty());
  m.touch(pid("ETH-USD"), 900);
  auto c = m.check(1001);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].product.value, "BTC-USD");
  EXPECT_EQ(c[0].age_ns, 1001);
  EXPECT_TRUE(m.check(1500).empty());  // reported once
  EXPECT_TRUE(m.is_stale(pid("BTC-USD")));
  EXPECT_TRUE(m.touch(pid("BTC-USD"), 1600));
  EXPECT_FALSE(m.touch(pid("BTC-USD"), 1700));
  EXPECT_EQ(m.age_ns(pid("ETH-USD"), 1900), 1000);
}

TEST(GateAggregator, ReasonStaysUntilLastProductClears) {
  gate_aggregator g;
  auto a = g.set(gate_reason::sequence_gap, pid("BTC-USD"), true);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->active);
  EXPECT_FALSE(g.set(gate_reason::sequence_gap, pid("BTC-USD"), true));
  auto b = g.set(gate_reason::sequence_gap, pid("ETH-USD"), true);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->detail, "products=BTC-USD,ETH-USD");
  auto c = g.set(gate_reason::sequence_gap, pid("BTC-USD"), false);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->active);
  auto d = g.set(gate_reason::sequence_gap, pid("ETH-USD"), false);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->active);
  EXPECT_FALSE(g.any(gate_reason::sequence_gap));
}

TEST(FillTracker, CumulativeGrowthAndTradeDedupe) {
  fill_tracker t(2);
  order_update u;
  u.exchange_id.value = "o1";
  u.filled_size = size::from_int(1);
  EXPECT_TRUE(t.filled_more(u));
  EXPECT_FALSE(t.filled_more(u));  // a replayed update after reconnect
  u.filled_size = size::from_int(2);
  u.state = order_state::filled;
  EXPECT_TRUE(t.filled_more(u));
  EXPECT_TRUE(t.first_time(trade_id{"t1"}));
  EXPECT_FALSE(t.first_time(trade_id{"t1"}));
  EXPECT_TRUE(t.first_time(trade_id{"t2"}));
  EXPECT_TRUE(t.first_time(trade_id{"t3"}));  // bounded: t1 forgotten
  EXPECT_EQ(t.remembered(), 2u);
}

TEST(WsRequests, SubscribeCarriesChannelProductsAndJwt) {
  auto j = nlohmann::json::parse(subscribe_message("level2", {pid("BTC-USD"), pid("ETH-USD")}));
  EXPECT_EQ(j["type"], "subscribe");
  EXPECT_EQ(j["channel"], "level2");
  EXPECT_EQ(j["product_ids"].size(), 2u);
  EXPECT_FALSE(j.contains("jwt"));
  auto u = nlohmann::json::parse(subscribe_message("user", {}, "a.b.c"));
  EXPECT_FALSE(u.contains("product_ids"));
  EXPECT_EQ(u["jwt"], "a.b.c");
  EXPECT_EQ(nlohmann::json::parse(unsubscribe_message("level2", {pid("BTC-USD")}))["type"], "unsubscribe");
}

} // namespace
} // namespace trader::feed

// -- alert_latch: page only for gaps that stay ----------------------------------------

TEST(AlertLatch, AMomentaryGapNeverFires) {
  trader::feed::alert_latch l{30'000'000'000};
  EXPECT_FALSE(l.set(true, 1'000).fire);
  auto g = l.generation();
  auto cleared = l.set(false, 2'000'000'000);  // snapshot after 2 s
  EXPECT_FALSE(cleared.resolve);                // nothing was sent, nothing to resolve
  EXPECT_FALSE(l.check(g, 31'000'000'000).fire);  // the stale check-back is ignored
}

TEST(AlertLatch, AGapThatStaysFiresOnceAndResolvesWhenCleared) {
  trader::feed::alert_latch l{30'000'000'000};
  l.set(true, 0);
  auto g = l.generation();
  EXPECT_FALSE(l.check(g, 29'000'000'000).fire);  // early check-back: not yet
  EXPECT_TRUE(l.check(g, 30'000'000'000).fire);
  EXPECT_FALSE(l.check(g, 40'000'000'000).fire);  // once
  EXPECT_FALSE(l.set(true, 41'000'000'000).fire);  // still the same episode
  EXPECT_TRUE(l.set(false, 50'000'000'000).resolve);
  EXPECT_FALSE(l.set(false, 51'000'000'000).resolve);
}

TEST(AlertLatch, ANewEpisodeNeedsItsOwnCheckBack) {
  trader::feed::alert_latch l{10};
  l.set(true, 0);
  auto first = l.generation();
  l.set(false, 5);
  l.set(true, 6);
  EXPECT_FALSE(l.check(first, 100).fire);  // the old episode's check-back
  EXPECT_TRUE(l.check(l.generation(), 100).fire);
}
