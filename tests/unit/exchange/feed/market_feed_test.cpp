// market_feed, the market-data feed's decisions without CAF: for each frame (or check or
// connection event) the effects its shell carries out — publish, socket writes, gate
// changes, health and statuses, counters.
#include "actors/exchange/feed/market_feed.hpp"
#include "runtime/clock.hpp"
#include "tests/unit/exchange/feed/feed_frames.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace trader::feed {
namespace {

using namespace std::chrono_literals;
using test::l2;

constexpr mono_ns ms = ns_per_ms;

class MarketFeed : public ::testing::Test {
protected:
  market_data_options opts = [] {
    market_data_options o;
    o.products = {product_id{"BTC-USD"}, product_id{"ETH-USD"}};
    o.max_age = 1000ms;
    o.snapshot_timeout = 1000ms;
    o.retry_base = 500ms;
    o.retry_cap = 2000ms;
    o.seed = 7;
    return o;
  }();
  market_feed feed{opts, 0};
  mono_ns now = 0;

  const feed_effects& push(const std::string& text) { return feed.on_frame(text, 1000 + now, now); }
  void snapshots() {
    push(l2(0, "BTC-USD", true, "100", "101"));
    push(l2(1, "ETH-USD", true, "10", "11"));
  }
  book_snapshot book(const product_id& p, std::int32_t depth) { return feed.book(p, depth, 1000 + now, now); }
  static int gate_count(const feed_effects& fx, gate_reason r, bool active) {
    return static_cast<int>(std::count_if(fx.notice.gates.begin(), fx.notice.gates.end(),
                                          [&](auto& g) { return g.reason == r && g.active == active; }));
  }
};

TEST_F(MarketFeed, SnapshotAndUpdateArePublishedWithoutGateChanges) {
  auto& fx = push(l2(0, "BTC-USD", true, "100", "101"));
  EXPECT_TRUE(fx.publish);
  EXPECT_EQ(fx.channel, ws_channel::level2);
  EXPECT_TRUE(fx.notice.empty());
  EXPECT_TRUE(fx.send.empty());
  ASSERT_EQ(feed.frame().books.size(), 1u);
  EXPECT_TRUE(feed.frame().books[0].is_snapshot);
  push(l2(1, "BTC-USD", false, "100.5", "101"));
  auto b = book(product_id{"BTC-USD"}, 5);
  EXPECT_FALSE(b.stale);
  ASSERT_EQ(b.bids.size(), 2u);
  EXPECT_EQ(b.bids[0].px, price::from_double(100.5));
}

// The newest heartbeat's exchange time is every product's watermark: what the exchange sent
// before it has been read (a stepped-clock harness waits for it; status shows it).
TEST_F(MarketFeed, TheNewestHeartbeatIsTheWatermarkOfEveryBook) {
  snapshots();
  EXPECT_EQ(book(product_id{"BTC-USD"}, 1).ts_heartbeat, 0);
  push(test::heartbeat(2));
  ts_ns at = 0;
  ASSERT_TRUE(parse_rfc3339("2026-08-09T21:05:48Z", at));
  EXPECT_EQ(book(product_id{"BTC-USD"}, 1).ts_heartbeat, at);
  EXPECT_EQ(book(product_id{"ETH-USD"}, 1).ts_heartbeat, at);
  EXPECT_EQ(book(product_id{"SOL-USD"}, 1).ts_heartbeat, at);  // no book yet: the connection's
  // Other channels' frames do not move it.
  push(l2(3, "BTC-USD", false, "100.5", "101"));
  EXPECT_EQ(book(product_id{"BTC-USD"}, 1).ts_heartbeat, at);
}

TEST_F(MarketFeed, UpdateBeforeAnySnapshotLeavesTheBookStale) {
  auto& fx = push(l2(0, "BTC-USD", false, "100", "101"));
  EXPECT_TRUE(fx.publish);  // subscribers see what the exchange sent
  EXPECT_TRUE(book(product_id{"BTC-USD"}, 5).stale);
  EXPECT_TRUE(book(product_id{"SOL-USD"}, 5).stale);  // never heard of
}

TEST_F(MarketFeed, SequenceGapResubscribesEveryProductAndRaisesEachOnce) {
  snapshots();
  auto& fx = push(l2(5, "BTC-USD", false, "100.5", "101"));  // 2..4 lost
  EXPECT_EQ(fx.counts.gaps, 1u);
  ASSERT_EQ(fx.send.size(), 2u);
  auto unsub = nlohmann::json::parse(fx.send[0]);
  auto sub = nlohmann::json::parse(fx.send[1]);
  EXPECT_EQ(unsub["type"], "unsubscribe");
  EXPECT_EQ(sub["type"], "subscribe");
  EXPECT_EQ(sub["channel"], "level2");
  EXPECT_EQ(sub["product_ids"].size(), 2u);
  ASSERT_EQ(gate_count(fx, gate_reason::sequence_gap, true), 2);  // BTC, then BTC+ETH
  EXPECT_EQ(fx.notice.gates.back().detail, "products=BTC-USD,ETH-USD");
  ASSERT_EQ(fx.notice.health.size(), 2u);
  EXPECT_FALSE(fx.notice.health[1].healthy);
  EXPECT_TRUE(fx.notice.health[1].sequence_gap);
  EXPECT_TRUE(book(product_id{"BTC-USD"}, 5).stale);  // the update after the gap is not applied
}

TEST_F(MarketFeed, SnapshotAfterGapClearsOnlyItsProduct) {
  snapshots();
  push(l2(5, "BTC-USD", false, "100.5", "101"));
  auto& btc = push(l2(6, "BTC-USD", true, "99", "100"));
  ASSERT_EQ(btc.notice.gates.size(), 1u);
  EXPECT_TRUE(btc.notice.gates[0].active);  // ETH still waits
  EXPECT_EQ(btc.notice.gates[0].detail, "products=ETH-USD");
  ASSERT_EQ(btc.notice.health.size(), 1u);
  EXPECT_TRUE(btc.notice.health[0].healthy);
  EXPECT_FALSE(book(product_id{"BTC-USD"}, 5).stale);
  auto& eth = push(l2(7, "ETH-USD", true, "10", "11"));
  EXPECT_EQ(gate_count(eth, gate_reason::sequence_gap, false), 1);
}

TEST_F(MarketFeed, CheckTurnsAProductWithoutDataStaleOnce) {
  snapshots();
  now = 900 * ms;
  push(l2(2, "ETH-USD", false, "10", "11"));
  now = 1100 * ms;  // BTC 1.1 s old, ETH 0.2 s
  auto fx = feed.check(5000, now);
  ASSERT_EQ(gate_count(fx, gate_reason::stale_data, true), 1);
  EXPECT_EQ(fx.notice.gates[0].detail, "products=BTC-USD");
  ASSERT_EQ(fx.notice.health.size(), 1u);
  EXPECT_EQ(fx.notice.health[0].age_ms, 1100);
  EXPECT_FALSE(fx.notice.health[0].sequence_gap);
  ASSERT_EQ(fx.ages.size(), 2u);
  EXPECT_EQ(fx.ages[1].second, 200 * ms);
  EXPECT_EQ(fx.warnings.size(), 1u);
  EXPECT_TRUE(book(product_id{"BTC-USD"}, 5).stale);
  EXPECT_TRUE(feed.check(5000, now + 100 * ms).notice.empty());  // reported once
}

TEST_F(MarketFeed, DataForAStaleProductRecoversIt) {
  snapshots();
  now = 1500 * ms;
  feed.check(5000, now);
  auto& fx = push(test::ticker(2, "BTC-USD", "100", "101"));
  EXPECT_TRUE(fx.publish);
  ASSERT_EQ(feed.frame().quotes.size(), 1u);
  EXPECT_EQ(gate_count(fx, gate_reason::stale_data, true), 1);  // ETH is still stale
  EXPECT_EQ(fx.notice.gates[0].detail, "products=ETH-USD");
  ASSERT_EQ(fx.notice.health.size(), 1u);
  EXPECT_TRUE(fx.notice.health[0].healthy);
  EXPECT_EQ(fx.notice.health[0].product.value, "BTC-USD");
}

TEST_F(MarketFeed, StatusChangeIsPublishedAndDegradesTheProductUntilOnline) {
  auto& off = push(test::status(0, "ETH-USD", "cancel_only"));
  ASSERT_EQ(off.notice.statuses.size(), 1u);
  EXPECT_EQ(off.notice.statuses[0].state, product_state::cancel_only);
  ASSERT_EQ(gate_count(off, gate_reason::product_degraded, true), 1);
  EXPECT_TRUE(off.notice.health.empty());
  ASSERT_EQ(feed.late_subscriber(0).statuses.size(), 1u);
  auto& on = push(test::status(1, "ETH-USD", "online"));
  EXPECT_EQ(gate_count(on, gate_reason::product_degraded, false), 1);
  EXPECT_TRUE(feed.late_subscriber(0).statuses.empty());
}

TEST_F(MarketFeed, UnparseableMessageIsALossOfEveryProduct) {
  snapshots();
  auto& fx = push(R"({"channel":"l2_data","sequence_num":2,"events":[{"type":"update","product_id":"BTC-USD",)"
                  R"("updates":[{"side":"bid","price_level":"x","new_quantity":"1"}]}]})");
  EXPECT_EQ(fx.counts.parse_errors, 1u);
  EXPECT_FALSE(fx.publish);
  EXPECT_EQ(fx.send.size(), 2u);
  EXPECT_EQ(gate_count(fx, gate_reason::sequence_gap, true), 2);
  EXPECT_FALSE(fx.warnings.empty());
}

TEST_F(MarketFeed, CrossedBookIsResubscribedAlone) {
  snapshots();
  auto& fx = push(l2(2, "BTC-USD", false, "102", "103"));  // bid 102 ≥ ask 101
  EXPECT_EQ(fx.counts.crossed, 1u);
  ASSERT_EQ(fx.send.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(fx.send[1])["product_ids"], nlohmann::json::array({"BTC-USD"}));
  ASSERT_EQ(fx.notice.gates.size(), 1u);
  EXPECT_EQ(fx.notice.gates[0].detail, "products=BTC-USD");
}

TEST_F(MarketFeed, OldSequenceNumberIsDropped) {
  snapshots();
  auto& fx = push(l2(1, "BTC-USD", false, "50", "51"));
  EXPECT_FALSE(fx.publish);
  EXPECT_EQ(book(product_id{"BTC-USD"}, 1).bids[0].px, price::from_int(100));
}

TEST_F(MarketFeed, LostConnectionRaisesTheGapOnlyAfterDataHadFlowed) {
  EXPECT_TRUE(feed.on_disconnected("connect refused", 0).notice.empty());
  feed.on_connected(0, 0);
  snapshots();
  auto fx = feed.on_disconnected("read: eof", 0);
  EXPECT_EQ(gate_count(fx, gate_reason::sequence_gap, true), 2);
  EXPECT_EQ(feed.on_connected(0, 0).counts.reconnects, 1u);
  EXPECT_TRUE(book(product_id{"BTC-USD"}, 1).stale);  // the new connection's snapshot decides
}

TEST_F(MarketFeed, LateSubscriberLearnsWhatIsAlreadyUnhealthy) {
  snapshots();
  push(l2(5, "BTC-USD", false, "100", "101"));
  push(l2(6, "ETH-USD", true, "10", "11"));
  auto n = feed.late_subscriber(42);
  ASSERT_EQ(n.health.size(), 1u);
  EXPECT_EQ(n.health[0].product.value, "BTC-USD");
  EXPECT_TRUE(n.health[0].sequence_gap);
  EXPECT_EQ(n.health[0].ts, 42);
}

TEST_F(MarketFeed, SubscribesOnePerChannelWithProductsExceptHeartbeats) {
  auto subs = feed.subscribe_messages();
  ASSERT_EQ(subs.size(), opts.channels.size());
  EXPECT_FALSE(nlohmann::json::parse(subs[0]).contains("product_ids"));  // heartbeats
  EXPECT_EQ(nlohmann::json::parse(subs[2])["product_ids"].size(), 2u);
}

TEST_F(MarketFeed, MissingSnapshotIsAskedForAgainAfterTheTimeoutAndABackoff) {
  EXPECT_EQ(feed.on_connected(1000, 0).counts.snapshot_waits, 2u);
  push(l2(0, "BTC-USD", true, "100", "101"));
  now = 999 * ms;
  auto early = feed.check(1000 + now, now);
  EXPECT_EQ(early.counts.snapshot_misses, 0u);
  now = 1000 * ms;
  auto miss = feed.check(1000 + now, now);
  EXPECT_EQ(miss.counts.snapshot_misses, 1u);
  EXPECT_TRUE(miss.resubscribe.empty());  // first the backoff
  EXPECT_EQ(feed.snapshots_awaited(), 1u);
  feed_effects ask;
  while (ask.resubscribe.empty() && now <= 1500 * ms) {  // within the first window (500 ms)
    now += 10 * ms;
    ask = feed.check(1000 + now, now);
  }
  ASSERT_EQ(ask.resubscribe, std::vector<product_id>{product_id{"ETH-USD"}});
  EXPECT_EQ(ask.counts.snapshot_retries, 1u);
  EXPECT_TRUE(ask.reconnect.empty());
  auto msgs = market_feed::resubscribe_messages(ask.resubscribe);
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(msgs[1])["product_ids"], nlohmann::json::array({"ETH-USD"}));
  auto b = book(product_id{"ETH-USD"}, 1);
  EXPECT_EQ(b.waiting_for, "snapshot");
  EXPECT_EQ(b.waiting_since, 1000);
  EXPECT_EQ(b.retries, 1);
  push(l2(1, "ETH-USD", true, "10", "11"));
  EXPECT_EQ(feed.snapshots_awaited(), 0u);
  EXPECT_TRUE(book(product_id{"ETH-USD"}, 1).waiting_for.empty());
}

TEST_F(MarketFeed, GapMakesItsProductsWaitForTheirSnapshotsAgain) {
  feed.on_connected(0, 0);
  snapshots();
  auto& fx = push(l2(5, "BTC-USD", false, "100", "101"));
  EXPECT_EQ(fx.counts.snapshot_waits, 2u);
  EXPECT_EQ(feed.snapshots_awaited(), 2u);
}

TEST_F(MarketFeed, NoRetriesWhileDisconnected) {
  feed.on_connected(0, 0);
  feed.on_disconnected("read: eof", 0);
  now = 60'000 * ms;
  auto fx = feed.check(now, now);
  EXPECT_EQ(fx.counts.snapshot_misses, 0u);
  EXPECT_TRUE(fx.resubscribe.empty());
  EXPECT_TRUE(fx.reconnect.empty());
}

TEST_F(MarketFeed, RepeatedMissesAskForAReconnect) {
  opts.resubscribes_before_reconnect = 0;
  market_feed f(opts, 0);
  f.on_connected(0, 0);
  auto fx = f.check(0, 1000 * ms);
  EXPECT_EQ(fx.counts.snapshot_reconnects, 1u);
  EXPECT_FALSE(fx.reconnect.empty());
  EXPECT_TRUE(fx.resubscribe.empty());
  EXPECT_EQ(f.on_connected(0, 1000 * ms).counts.snapshot_waits, 0u);  // still the same waits
}

TEST_F(MarketFeed, WithoutLevel2AGapHasNothingToRepair) {
  opts.channels = {"heartbeats", "ticker"};
  market_feed f(opts, 0);
  f.on_connected(0, 0);
  f.on_frame(test::ticker(0, "BTC-USD", "100", "101"), 0, 0);
  auto& fx = f.on_frame(test::ticker(5, "BTC-USD", "100", "101"), 0, 0);
  EXPECT_EQ(fx.counts.gaps, 1u);
  EXPECT_TRUE(fx.send.empty());
  EXPECT_TRUE(fx.notice.gates.empty());
  EXPECT_EQ(f.snapshots_awaited(), 0u);
}

TEST_F(MarketFeed, StaleProductSaysItWaitsForDataSinceItsLastMessage) {
  snapshots();
  now = 1500 * ms;
  feed.check(1000 + now, now);
  auto b = book(product_id{"BTC-USD"}, 1);
  EXPECT_EQ(b.waiting_for, "data");
  EXPECT_EQ(b.waiting_since, 1000);  // wall 1000 + 1.5 s now − 1.5 s age
}

TEST(MarketFeedChannels, MaskCoversTheAskedChannelsAndHealth) {
  EXPECT_EQ(channel_mask({}), ~0u);
  auto m = channel_mask({"ticker", "level2"});
  EXPECT_EQ(m, want_quotes | want_books | want_health);
  EXPECT_EQ(channel_mask({"status", "trades"}), want_status | want_trades | want_health);
}

} // namespace
} // namespace trader::feed
