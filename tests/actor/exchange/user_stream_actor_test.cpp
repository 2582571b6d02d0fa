// The user_stream actor on CAF's deterministic scheduler: user-channel frames go in through
// a feed::frame_injector; probes play fills, orders, risk and a subscriber.
#include "actors/exchange/user_stream/user_stream_actor.hpp"
#include "tests/support/gate_edges.hpp"
#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"

namespace trader {
namespace {

using namespace std::chrono_literals;

struct seen {
  std::vector<gate_signal> gates;
  std::vector<order_update> orders;
  std::vector<fill> fills;
  std::vector<get_fills> fill_requests;
  int order_requests = 0;
  fill_list answer;  ///< what the fake fills actor returns
  int fail_fills = 0;  ///< the next this many fills requests fail
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
    [=](const order_update& o) { s->orders.push_back(o); },
    [=](const fill& f) { s->fills.push_back(f); },
    [=](const get_fills& g) -> caf::result<fill_list> {
      s->fill_requests.push_back(g);
      if (s->fail_fills > 0) {
        --s->fail_fills;
        return caf::make_error(caf::sec::runtime_error);
      }
      return s->answer;
    },
    [=](const list_open_orders&) {
      ++s->order_requests;
      return order_list{};
    },
  };
}

std::string user(std::int64_t seq, const char* cumulative, const char* status) {
  return std::string(R"({"channel":"user","timestamp":"2026-08-09T21:05:48Z","sequence_num":)") + std::to_string(seq)
         + R"(,"events":[{"type":"update","orders":[{"order_id":"ex-1","client_order_id":"c-1","cumulative_quantity":")"
         + cumulative + R"(","avg_price":"100","total_fees":"0.1","status":")" + status
         + R"(","product_id":"BTC-USD"}]}]})";
}

fill make_fill(const char* trade) {
  fill f;
  f.trade.value = trade;
  f.exchange_order.value = "ex-1";
  f.product.value = "BTC-USD";
  f.qty = size::from_double(0.5);
  return f;
}

class UserStreamActorTest : public test::actor_fixture {
protected:
  manual_time_source clock;
  std::shared_ptr<feed::frame_injector> inj = std::make_shared<feed::frame_injector>();
  seen s;

  void start() {
    feed::user_stream_options o;
    o.ws_url.clear();
    o.injector = inj;
    o.clock = &clock;
    o.retry_base = 1000ms;
    o.retry_cap = 1000ms;
    auto us = keep(user_stream::spawn_user_stream(sys(), reg_, o));
    auto p = keep(sys().spawn(probe, &s, us));
    reg_.put("fills", p);
    reg_.put("orders", p);
    reg_.put("risk", p);
    run();
  }
  void push(const std::string& frame) {
    inj->push(frame, clock.wall_now());
    run();
  }
};

TEST_F(UserStreamActorTest, CumulativeGrowthFetchesTheOrdersFillsOnce) {
  start();
  s.answer.fills = {make_fill("t1")};
  push(user(0, "0.5", "OPEN"));
  ASSERT_EQ(s.orders.size(), 1u);
  EXPECT_EQ(s.orders[0].state, order_state::partially_filled);
  ASSERT_EQ(s.fill_requests.size(), 1u);
  EXPECT_EQ(s.fill_requests[0].order.value, "ex-1");
  ASSERT_EQ(s.fills.size(), 1u);
  push(user(1, "0.5", "OPEN"));  // same cumulative (e.g. replayed): nothing to fetch
  EXPECT_EQ(s.fill_requests.size(), 1u);
  s.answer.fills = {make_fill("t1"), make_fill("t2")};
  push(user(2, "1", "FILLED"));
  EXPECT_EQ(s.fill_requests.size(), 2u);
  ASSERT_EQ(s.fills.size(), 2u);  // t1 is not published twice
  EXPECT_EQ(s.fills[1].trade.value, "t2");
  EXPECT_TRUE(s.gates.empty());
}

TEST_F(UserStreamActorTest, SequenceGapClosesGateUntilRestReread) {
  start();
  push(user(0, "0", "OPEN"));
  s.answer.fills = {make_fill("t9")};  // made while the lost message was in flight
  push(user(3, "0", "OPEN"));          // 1 and 2 lost
  ASSERT_GE(s.gates.size(), 2u);
  EXPECT_EQ(s.gates.front().reason, gate_reason::user_stream_gap);
  EXPECT_TRUE(s.gates.front().active);
  EXPECT_FALSE(s.gates.back().active);  // fills and open orders re-read: cleared
  EXPECT_EQ(s.order_requests, 1);
  ASSERT_EQ(s.fill_requests.size(), 1u);
  EXPECT_LT(s.fill_requests[0].since, clock.wall_now());  // from before the loss, with margin
  ASSERT_EQ(s.fills.size(), 1u);
  EXPECT_EQ(s.fills[0].trade.value, "t9");
}

// Verifies that a re-read that fails is retried after the backoff (never waited on forever)
// and that the gate clears only when a retry succeeds.
TEST_F(UserStreamActorTest, FailedRereadIsRetriedAfterTheBackoffUntilItSucceeds) {
  start();
  push(user(0, "0", "OPEN"));
  s.fail_fills = 1;
  push(user(3, "0", "OPEN"));  // gap: the first re-read's fills request fails
  ASSERT_EQ(s.fill_requests.size(), 1u);
  ASSERT_EQ(s.gates.size(), 1u);
  EXPECT_TRUE(s.gates.back().active);
  advance(1000ms);  // the whole first window (full jitter: at most 1 s)
  ASSERT_EQ(s.fill_requests.size(), 2u);
  EXPECT_EQ(s.fill_requests[1].since, s.fill_requests[0].since);  // still from the first loss
  EXPECT_EQ(s.order_requests, 2);
  ASSERT_EQ(s.gates.size(), 2u);
  EXPECT_FALSE(s.gates.back().active);
  advance(5000ms);
  EXPECT_EQ(s.fill_requests.size(), 2u);  // recovered: nothing more
}

} // namespace
} // namespace trader
