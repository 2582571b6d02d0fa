// snapshot_waits: a level-2 snapshot that does not come is asked for again after a
// full-jitter backoff, and after repeated misses a reconnect is asked for instead.
#include "actors/exchange/feed/snapshot_waits.hpp"

#include <gtest/gtest.h>

namespace trader::feed {
namespace {

using namespace std::chrono_literals;

constexpr mono_ns ms = ns_per_ms;
const product_id btc{"BTC-USD"};
const product_id eth{"ETH-USD"};

snapshot_wait_options opts(int resubscribes = 3) {
  snapshot_wait_options o;
  o.timeout_ns = 1000 * ms;
  o.backoff = exchange::retry_policy{1 << 30, 500ms, 2000ms};
  o.resubscribes_before_reconnect = resubscribes;
  return o;
}

/// Jitter at the top of the window: each backoff is the whole window.
snapshot_waits full(int resubscribes = 3) { return snapshot_waits(opts(resubscribes), [] { return 1.0; }); }

TEST(SnapshotWaits, SnapshotInTimeEndsTheWait) {
  auto w = full();
  w.asked({btc, eth}, 0, 7);
  EXPECT_TRUE(w.arrived(btc));
  EXPECT_FALSE(w.arrived(btc));
  auto d = w.poll(999 * ms);
  EXPECT_TRUE(d.missed.empty());
  ASSERT_EQ(w.entries().size(), 1u);
  EXPECT_EQ(w.entries()[0].product, eth);
  EXPECT_EQ(w.entries()[0].since, 7);
}

TEST(SnapshotWaits, MissBacksOffThenAsksForThatProductAlone) {
  auto w = full();
  w.asked({btc, eth}, 0, 0);
  w.arrived(eth);
  auto miss = w.poll(1000 * ms);
  EXPECT_EQ(miss.missed, std::vector<product_id>{btc});
  EXPECT_TRUE(miss.resubscribe.empty());
  EXPECT_TRUE(w.entries()[0].backing_off);
  EXPECT_TRUE(w.poll(1499 * ms).resubscribe.empty());  // first window: 500 ms
  auto ask = w.poll(1500 * ms);
  EXPECT_EQ(ask.resubscribe, std::vector<product_id>{btc});
  EXPECT_FALSE(ask.reconnect);
  EXPECT_EQ(w.entries()[0].misses, 1);
}

TEST(SnapshotWaits, BackoffDoublesUpToTheCapBetweenRequests) {
  auto w = full(10);
  w.asked({btc}, 0, 0);
  mono_ns t = 0;
  std::vector<mono_ns> asked_at;
  for (int i = 0; i < 5; ++i) {
    t += 1000 * ms;  // the wait after each request
    ASSERT_EQ(w.poll(t).missed.size(), 1u);
    while (w.poll(t).resubscribe.empty())
      t += 50 * ms;
    asked_at.push_back(t);
  }
  // after each miss: 500, 1000, 2000 (cap), 2000, 2000 ms of backoff
  EXPECT_EQ(asked_at, (std::vector<mono_ns>{1500 * ms, 3500 * ms, 6500 * ms, 9500 * ms, 12500 * ms}));
}

TEST(SnapshotWaits, EveryFourthMissReconnectsInsteadWithTheDefaultThreeResubscribes) {
  auto w = full(3);
  w.asked({btc}, 0, 0);
  mono_ns t = 0;
  int reconnects = 0, resubscribes = 0;
  for (int i = 0; i < 8; ++i) {
    t += 1000 * ms;
    auto d = w.poll(t);
    ASSERT_EQ(d.missed.size(), 1u) << i;
    if (d.reconnect) {
      ++reconnects;
      w.asked({btc}, t, 0);  // the reconnect's subscribe asks again
      continue;
    }
    t += 2000 * ms;
    resubscribes += static_cast<int>(w.poll(t).resubscribe.size());
  }
  EXPECT_EQ(reconnects, 2);  // misses 4 and 8
  EXPECT_EQ(resubscribes, 6);
  EXPECT_EQ(w.entries()[0].misses, 8);
}

TEST(SnapshotWaits, ReconnectReplacesResubscribesDueAtTheSameTime) {
  auto w = full(0);  // every miss reconnects
  w.asked({btc, eth}, 0, 0);
  auto d = w.poll(1000 * ms);
  EXPECT_TRUE(d.reconnect);
  EXPECT_TRUE(d.resubscribe.empty());
  EXPECT_EQ(d.missed.size(), 2u);
}

TEST(SnapshotWaits, AskingAgainKeepsTheFirstStartAndTheMisses) {
  auto w = full();
  w.asked({btc}, 0, 5);
  w.poll(1000 * ms);
  w.asked({btc}, 1200 * ms, 99);  // e.g. a gap re-asks every product
  auto e = w.entries()[0];
  EXPECT_EQ(e.since, 5);
  EXPECT_EQ(e.misses, 1);
  EXPECT_FALSE(e.backing_off);
  EXPECT_TRUE(w.poll(2199 * ms).missed.empty());
  EXPECT_EQ(w.poll(2200 * ms).missed.size(), 1u);
}

TEST(SnapshotWaits, JitterNeverAsksBeforeTheMissOrAfterTheWindow) {
  for (double u : {0.0, 0.3, 0.99}) {
    snapshot_waits w(opts(), [u] { return u; });
    w.asked({btc}, 0, 0);
    w.poll(1000 * ms);
    auto at = 1000 * ms + static_cast<mono_ns>(u * 500) * ms;
    if (at > 1000 * ms)
      EXPECT_TRUE(w.poll(at - 1).resubscribe.empty()) << u;
    EXPECT_EQ(w.poll(at).resubscribe.size(), 1u) << u;
  }
}

} // namespace
} // namespace trader::feed
