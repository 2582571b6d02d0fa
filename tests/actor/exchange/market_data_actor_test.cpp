// The market_data actor on CAF's deterministic scheduler. Frames go in through a
// feed::frame_injector (the reader thread's path, run on the test thread), time is a
// manual_time_source plus CAF's virtual clock; probes stand in for risk and a subscriber.
#include "actors/exchange/market_data/market_data_actor.hpp"
#include "tests/support/gate_edges.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/metric_value.hpp"
#include "tests/unit/exchange/feed/feed_frames.hpp"

#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

namespace trader {
namespace {

using namespace std::chrono_literals;

struct seen {
  std::vector<gate_signal> gates;
  std::vector<feed_health> health;
  std::vector<product_status> statuses;
  std::vector<book_update> books;
  std::vector<quote> quotes;
};

caf::behavior probe(caf::event_based_actor* self, seen* s, caf::actor feed) {
  if (feed)
    self->request(feed, 5s, subscribe_feed{}).then([](const subscribed&) {}, [](caf::error&) {});
  auto edges = std::make_shared<test::gate_edges>();
  return {
    [=](const gate_signal& g) { s->gates.push_back(g); },
    [=](const gate_conditions& c) {  // level-triggered source, as edges
      for (auto& g : edges->apply(c))
        s->gates.push_back(g);
    },
    [=](const feed_health& h) { s->health.push_back(h); },
    [=](const product_status& p) { s->statuses.push_back(p); },
    [=](const book_update& b) { s->books.push_back(b); },
    [=](const quote& q) { s->quotes.push_back(q); },
    [=](const market_trade&) {},
    [=](const candle&) {},
  };
}

using test::l2;
using test::status;

/// Plays the rate limiter: grants every permit and counts them.
caf::behavior limiter(caf::event_based_actor*, int* granted) {
  return {[=](const permit_request& r) {
    EXPECT_EQ(r.group, endpoint_group::ws_connect);
    ++*granted;
    return permit_grant{};
  }};
}

class MarketDataActorTest : public test::actor_fixture {
protected:
  manual_time_source clock;
  std::shared_ptr<feed::frame_injector> inj = std::make_shared<feed::frame_injector>();
  seen risk_seen, sub_seen;
  caf::actor md;
  prometheus::Registry metrics;
  std::vector<std::string> sent;          ///< what market_data wrote on the "socket"
  std::vector<std::string> reconnects;
  std::vector<std::int64_t> sent_at_ms;   ///< virtual time of each write
  std::int64_t t_ms = 0;

  void start(std::chrono::milliseconds max_age = 1000ms, feed::market_data_options o = {}) {
    inj->sent = [this](std::string_view m) {
      sent.emplace_back(m);
      sent_at_ms.push_back(t_ms);
    };
    inj->reconnect = [this](std::string_view why) { reconnects.emplace_back(why); };
    o.metrics = &metrics;
    o.ws_url.clear();
    o.injector = inj;
    o.clock = &clock;
    o.products = {product_id{"BTC-USD"}, product_id{"ETH-USD"}};
    o.max_age = max_age;
    o.check_interval = 250ms;
    md = keep(market_data::spawn_market_data(sys(), reg_, o));
    reg_.put("risk", keep(sys().spawn(probe, &risk_seen, caf::actor{})));
    keep(sys().spawn(probe, &sub_seen, md));
    run();
  }
  void push(const std::string& frame) {
    inj->push(frame, clock.wall_now());
    run();
  }
  /// Both clocks forward by d (the feed's and CAF's timers).
  void tick(std::chrono::milliseconds d) {
    t_ms += d.count();
    clock.advance(d.count() * ns_per_ms);
    advance(d);
  }
  double metric(const char* name) { return test::metric_value(metrics, name).value_or(-1); }
  int gate_count(gate_reason r, bool active) const {
    return static_cast<int>(std::count_if(risk_seen.gates.begin(), risk_seen.gates.end(),
                                          [&](auto& g) { return g.reason == r && g.active == active; }));
  }
  book_snapshot book(const char* product) {
    caf::scoped_actor self{sys()};
    auto h = self->request(md, 5s, get_book{product_id{product}, 5});
    run();
    book_snapshot out;
    h.receive([&](const book_snapshot& b) { out = b; }, [&](caf::error& e) { ADD_FAILURE() << to_string(e); });
    return out;
  }
};

TEST_F(MarketDataActorTest, FramesReachSubscriberAndBookAnswersBestFirst) {
  start();
  EXPECT_TRUE(book("BTC-USD").stale);  // no snapshot yet
  push(l2(0, "BTC-USD", true, "100", "101"));
  push(l2(1, "BTC-USD", false, "100.5", "101"));
  ASSERT_EQ(sub_seen.books.size(), 2u);
  auto b = book("BTC-USD");
  EXPECT_FALSE(b.stale);
  ASSERT_EQ(b.bids.size(), 2u);
  EXPECT_EQ(b.bids[0].px, price::from_double(100.5));
  EXPECT_EQ(b.asks[0].qty, size::from_int(2));
  EXPECT_TRUE(risk_seen.gates.empty());
}

TEST_F(MarketDataActorTest, SequenceGapRaisesUntilEverySnapshotArrives) {
  start();
  push(l2(0, "BTC-USD", true, "100", "101"));
  push(l2(1, "ETH-USD", true, "10", "11"));
  push(l2(5, "BTC-USD", false, "100.5", "101"));  // 2..4 lost
  EXPECT_EQ(gate_count(gate_reason::sequence_gap, true), 1);  // raised once (its detail: BTC, then BTC+ETH)
  EXPECT_TRUE(book("BTC-USD").stale);
  EXPECT_TRUE(std::any_of(sub_seen.health.begin(), sub_seen.health.end(),
                          [](auto& h) { return !h.healthy && h.sequence_gap && h.product.value == "ETH-USD"; }));
  push(l2(6, "BTC-USD", true, "99", "100"));
  EXPECT_EQ(gate_count(gate_reason::sequence_gap, false), 0);  // ETH still waits
  push(l2(7, "ETH-USD", true, "10", "11"));
  EXPECT_EQ(gate_count(gate_reason::sequence_gap, false), 1);
  EXPECT_FALSE(book("BTC-USD").stale);
}

TEST_F(MarketDataActorTest, ProductWithoutDataTurnsStaleWithinMaxAgeAndRecovers) {
  start(1000ms);
  push(l2(0, "BTC-USD", true, "100", "101"));
  push(l2(1, "ETH-USD", true, "10", "11"));
  clock.advance(900 * ns_per_ms);
  advance(1000ms);
  EXPECT_EQ(gate_count(gate_reason::stale_data, true), 0);
  push(l2(2, "ETH-USD", false, "10", "11"));
  clock.advance(200 * ns_per_ms);  // BTC 1.1 s old, ETH 0.2 s
  advance(250ms);                  // one check period
  ASSERT_EQ(gate_count(gate_reason::stale_data, true), 1);
  EXPECT_EQ(risk_seen.gates.back().detail, "products=BTC-USD");
  EXPECT_TRUE(book("BTC-USD").stale);
  push(l2(3, "BTC-USD", false, "100", "101"));
  EXPECT_EQ(gate_count(gate_reason::stale_data, false), 1);
}

TEST_F(MarketDataActorTest, NonOnlineStatusReachesRiskAndSubscribersAtOnce) {
  start();
  push(status(0, "ETH-USD", "cancel_only"));
  ASSERT_EQ(sub_seen.statuses.size(), 1u);
  EXPECT_EQ(sub_seen.statuses[0].state, product_state::cancel_only);
  EXPECT_EQ(gate_count(gate_reason::product_degraded, true), 1);
  push(status(1, "ETH-USD", "online"));
  EXPECT_EQ(gate_count(gate_reason::product_degraded, false), 1);
}

TEST_F(MarketDataActorTest, DeadSubscriberIsDropped) {
  start();
  seen other;
  auto extra = sys().spawn(probe, &other, md);
  run();
  push(l2(0, "BTC-USD", true, "100", "101"));
  EXPECT_EQ(other.books.size(), 1u);
  caf::anon_send_exit(extra, caf::exit_reason::kill);
  run();
  push(l2(1, "BTC-USD", false, "100", "101"));
  EXPECT_EQ(other.books.size(), 1u);
  EXPECT_EQ(sub_seen.books.size(), 2u);
}

} // namespace
} // namespace trader

namespace trader {
namespace {

// Verifies the retry schedule of issue 20: BTC-USD's snapshot after a gap is lost twice;
// each miss (1 s without it) is followed by a resubscribe of BTC-USD alone within the full-
// jitter window (1 s, then 2 s), each through two rate-limiter permits; the third request's
// snapshot clears the gap.
TEST_F(MarketDataActorTest, SnapshotLostTwiceIsAskedAgainOnTheBackoffScheduleThenClears) {
  int permits = 0;
  reg_.put("rate_limiter", keep(sys().spawn(limiter, &permits)));
  feed::market_data_options o;
  o.snapshot_timeout = 1000ms;
  o.retry_base = 1000ms;
  o.retry_cap = 4000ms;
  start(60s, o);
  push(l2(0, "BTC-USD", true, "100", "101"));
  push(l2(1, "ETH-USD", true, "10", "11"));
  push(l2(5, "BTC-USD", false, "100.5", "101"));  // gap: both resubscribed at once
  ASSERT_EQ(sent.size(), 2u);
  push(l2(6, "ETH-USD", true, "10", "11"));       // ETH's snapshot comes, BTC's is lost
  std::vector<std::int64_t> retries_at;
  while (retries_at.size() < 2 && t_ms < 20000) {
    auto before = sent.size();
    tick(250ms);
    if (sent.size() > before) {
      ASSERT_EQ(sent.size(), before + 2);
      auto sub = nlohmann::json::parse(sent.back());
      EXPECT_EQ(sub["type"], "subscribe");
      EXPECT_EQ(sub["product_ids"], nlohmann::json::array({"BTC-USD"}));
      retries_at.push_back(t_ms);
    }
  }
  ASSERT_EQ(retries_at.size(), 2u);
  EXPECT_GT(retries_at[0], 1000);                          // not before the 1 s wait ran out
  EXPECT_LE(retries_at[0], 1000 + 1000 + 250);             // nor after the first window (1 s)
  EXPECT_GT(retries_at[1], retries_at[0] + 1000);          // a whole wait after the retry
  EXPECT_LE(retries_at[1], retries_at[0] + 1000 + 2000 + 250);  // second window: 2 s
  EXPECT_EQ(permits, 4);
  EXPECT_TRUE(reconnects.empty());
  EXPECT_EQ(metric("trader_market_data_snapshot_misses_total"), 2);
  EXPECT_EQ(metric("trader_market_data_snapshot_retries_total"), 2);
  EXPECT_EQ(metric("trader_market_data_snapshots_awaited"), 1);
  auto waiting = book("BTC-USD");
  EXPECT_EQ(waiting.waiting_for, "snapshot");
  EXPECT_EQ(waiting.retries, 2);
  EXPECT_EQ(gate_count(gate_reason::sequence_gap, false), 0);
  push(l2(7, "BTC-USD", true, "99", "100"));  // the third request is answered
  EXPECT_EQ(gate_count(gate_reason::sequence_gap, false), 1);
  auto b = book("BTC-USD");
  EXPECT_FALSE(b.stale);
  EXPECT_TRUE(b.waiting_for.empty());
  tick(5000ms);
  EXPECT_EQ(sent.size(), 6u);  // nothing more is asked for
}

TEST_F(MarketDataActorTest, SnapshotThatKeepsMissingRenewsTheConnection) {
  feed::market_data_options o;
  o.snapshot_timeout = 1000ms;
  o.retry_base = 100ms;
  o.retry_cap = 100ms;
  o.resubscribes_before_reconnect = 1;
  start(60s, o);
  push(l2(0, "ETH-USD", true, "10", "11"));  // BTC's first snapshot never comes
  while (reconnects.empty() && t_ms < 10000)
    tick(250ms);
  ASSERT_EQ(reconnects.size(), 1u);
  EXPECT_NE(reconnects[0].find("BTC-USD"), std::string::npos);
  EXPECT_EQ(sent.size(), 2u);  // one resubscribe, then the reconnect
  EXPECT_EQ(metric("trader_market_data_snapshot_reconnects_total"), 1);
}

} // namespace
} // namespace trader
