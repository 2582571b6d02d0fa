// The market_data actor on CAF's deterministic scheduler. Frames go in through a
// feed::frame_injector (the reader thread's path, run on the test thread), time is a
// manual_time_source plus CAF's virtual clock; probes stand in for risk and a subscriber.
#include "actors/exchange/market_data/market_data_actor.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

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
  return {
    [=](const gate_signal& g) { s->gates.push_back(g); },
    [=](const feed_health& h) { s->health.push_back(h); },
    [=](const product_status& p) { s->statuses.push_back(p); },
    [=](const book_update& b) { s->books.push_back(b); },
    [=](const quote& q) { s->quotes.push_back(q); },
    [=](const market_trade&) {},
    [=](const candle&) {},
  };
}

std::string l2(std::int64_t seq, const char* product, bool snapshot, const char* bid, const char* ask) {
  return std::string(R"({"channel":"l2_data","timestamp":"2026-08-09T21:05:48Z","sequence_num":)") + std::to_string(seq)
         + R"(,"events":[{"type":")" + (snapshot ? "snapshot" : "update") + R"(","product_id":")" + product
         + R"(","updates":[{"side":"bid","price_level":")" + bid + R"(","new_quantity":"1"},)"
         + R"({"side":"offer","price_level":")" + ask + R"(","new_quantity":"2"}]}]})";
}

std::string status(std::int64_t seq, const char* product, const char* st) {
  return std::string(R"({"channel":"status","timestamp":"2026-08-09T21:05:48Z","sequence_num":)") + std::to_string(seq)
         + R"(,"events":[{"type":"update","products":[{"id":")" + product + R"(","status":")" + st + R"("}]}]})";
}

class MarketDataActorTest : public test::actor_fixture {
protected:
  manual_time_source clock;
  std::shared_ptr<feed::frame_injector> inj = std::make_shared<feed::frame_injector>();
  seen risk_seen, sub_seen;
  caf::actor md;

  void start(std::chrono::milliseconds max_age = 1000ms) {
    feed::market_data_options o;
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
  EXPECT_EQ(gate_count(gate_reason::sequence_gap, true), 2);  // BTC, then BTC+ETH
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
