// Tick to order (issue 16, docs/orders.md "Tick to order"): the read time of the WebSocket
// frame that caused a decision travels with the quote into the protective exit's intent and
// the create_order, and the orders actor records it as latency samples when the POST is
// written on the socket — exactly one tick_to_order sample for an order caused by a frame,
// none for one that was not (operator flatten, debug.intent). The orders actor runs on a
// real-thread actor system against the simex binary; the latency actor is a probe.
#include "actors/exchange/feed/market_feed.hpp"
#include "actors/exchange/orders/orders_actor.hpp"
#include "actors/exchange/orders/tick_to_order.hpp"
#include "actors/trading/risk/protective_exits.hpp"
#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/system_config.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/unit/exchange/feed/feed_frames.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <thread>

using namespace trader;
using namespace std::chrono_literals;
namespace pki = trader::net::testing;

namespace {

// -- the pure pieces ---------------------------------------------------------------------

TEST(TickToOrder, AnOrderFromAFrameGivesOneSampleAndOneOfItsPath) {
  auto s = orders::tick_to_order_samples(1'000, decision_path::exit, 251'000, 7);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].endpoint, "tick_to_order");
  EXPECT_EQ(s[0].duration_ns, 250'000);
  EXPECT_EQ(s[0].ts, 7);
  EXPECT_EQ(s[1].endpoint, "tick_to_order:exit");
  EXPECT_EQ(s[1].duration_ns, 250'000);
  EXPECT_EQ(orders::tick_to_order_samples(1'000, decision_path::strategy, 2'000, 7)[1].endpoint,
            "tick_to_order:strategy");
}

TEST(TickToOrder, AnOrderNotFromAFrameGivesNoSample) {
  EXPECT_TRUE(orders::tick_to_order_samples(0, decision_path::none, 251'000, 7).empty());
  EXPECT_TRUE(orders::tick_to_order_samples(0, decision_path::exit, 251'000, 7).empty());
  // Unknown path: the overall key only.
  EXPECT_EQ(orders::tick_to_order_samples(5, decision_path::none, 9, 7).size(), 1u);
}

TEST(TickToOrder, TheMarketFeedStampsTheFrameReadTimeOnItsQuotes) {
  feed::market_data_options o;
  o.products = {product_id{"BTC-USD"}};
  feed::market_feed f{o, 0};
  f.on_frame(test::ticker(0, "BTC-USD", "100", "101"), 5'000, 123'456);
  ASSERT_EQ(f.frame().quotes.size(), 1u);
  EXPECT_EQ(f.frame().quotes[0].origin_mono, 123'456);
}

TEST(TickToOrder, AProtectiveExitCarriesTheCrossingQuotesOrigin) {
  risk::protective_exits exits;
  risk::protected_position pp;
  pp.product = product_id{"BTC-USD"};
  pp.qty = size::from_double(0.5);
  pp.entry = price::from_int(100);
  pp.stop = price::from_int(95);
  pp.take = price::from_int(120);
  exits.arm(pp);
  quote q{product_id{"BTC-USD"}, price::from_int(94), price::from_int(95), size::from_int(1), size::from_int(1),
          price::from_int(94), 1, 10, 10};
  q.origin_mono = 42'000;
  auto sig = exits.on_quote(q, 11);
  ASSERT_TRUE(sig);
  EXPECT_EQ(sig->intent.origin_mono, 42'000);
  EXPECT_EQ(sig->intent.origin_path, decision_path::exit);
}

// -- the orders actor against simex ------------------------------------------------------

const std::string key_name = "organizations/test-org/apiKeys/tick-to-order";

/// Latency samples the probe registered as "latency" received.
struct samples {
  std::mutex mtx;
  std::vector<latency_sample> items;
  std::size_t count(const std::string& key) {
    std::lock_guard<std::mutex> g(mtx);
    return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [&](const latency_sample& s) { return s.endpoint == key; }));
  }
  std::size_t rest_creates() { return count("rest:POST /orders"); }
};

caf::behavior latency_probe(caf::event_based_actor*, std::shared_ptr<samples> box) {
  return {
    [box](const latency_sample& s) {
      std::lock_guard<std::mutex> g(box->mtx);
      box->items.push_back(s);
    },
  };
}

class OrdersTickToOrder : public ::testing::Test {
protected:
  OrdersTickToOrder() {
    dir_ = std::filesystem::temp_directory_path() / ("tick_to_order_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    auto pem = pki::generate_ec_key_pem();
    auto key = net::api_key::from_pem(key_name, pem);
    EXPECT_TRUE(key);
    key_ = std::make_shared<const net::api_key>(*key);
    pki::write_file((dir_ / "key.pub.pem").string(), key_->public_key_pem());
    sx_ = std::make_unique<trader::testing::simex_process>(
      std::vector<std::string>{"--api-key", key_name + "=" + (dir_ / "key.pub.pem").string(), "--log-file", "-"});
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    reg_.put(names::latency, sys_->spawn(latency_probe, box_));
    exchange::endpoint_options o;
    o.rest_base_url = sx_->rest();
    o.credentials = key_;
    o.read_only = false;
    o.request_timeout = 2000ms;
    o.connect_timeout = 2000ms;
    orders_ = orders::spawn_orders(*sys_, reg_, o);  // no rate_limiter registered: calls proceed
  }
  ~OrdersTickToOrder() override {
    caf::anon_send_exit(orders_, caf::exit_reason::kill);
    orders_ = nullptr;
    for (auto& n : reg_.names()) {
      auto a = reg_.get(n);
      caf::anon_send_exit(a, caf::exit_reason::kill);
      reg_.erase_if(n, a.address());
    }
    sys_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  /// Places o and waits for its ack; then until the orders actor's own REST latency sample
  /// of that POST has reached the probe (it is sent after the tick_to_order ones).
  void place(create_order o, std::size_t creates_before) {
    caf::scoped_actor self{*sys_};
    bool acked = false;
    self->request(orders_, 20s, std::move(o))
      .receive([&](const order_ack& a) { acked = a.accepted; }, [&](caf::error& e) { ADD_FAILURE() << describe(e); });
    EXPECT_TRUE(acked);
    for (int i = 0; i < 500 && box_->rest_creates() <= creates_before; ++i)
      std::this_thread::sleep_for(10ms);
    ASSERT_GT(box_->rest_creates(), creates_before) << "the POST's own latency sample never came";
  }
  static create_order resting_buy(const std::string& cid) {
    create_order o;
    o.id = client_order_id{cid};
    o.product = product_id{"BTC-USD"};
    o.type = order_type::limit;
    o.tif = time_in_force::gtc;
    o.base_size = *parse_fixed<size_tag>("0.001");
    o.limit_px = price::from_int(1000);
    o.post_only = true;
    return o;
  }

  std::filesystem::path dir_;
  std::shared_ptr<const net::api_key> key_;
  std::unique_ptr<trader::testing::simex_process> sx_;
  core::system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  core::registry reg_;
  std::shared_ptr<samples> box_ = std::make_shared<samples>();
  caf::actor orders_;
};

TEST_F(OrdersTickToOrder, ACreateCausedByAFrameRecordsExactlyOneTickToOrderSample) {
  auto o = resting_buy("t2o-frame");
  o.origin_mono = system_time_source::instance().mono_now();
  o.origin_path = decision_path::exit;
  place(o, 0);
  EXPECT_EQ(box_->count("tick_to_order"), 1u);
  EXPECT_EQ(box_->count("tick_to_order:exit"), 1u);
  EXPECT_EQ(box_->count("tick_to_order:strategy"), 0u);
}

TEST_F(OrdersTickToOrder, ACreateNotCausedByAFrameRecordsNone) {
  place(resting_buy("t2o-operator"), 0);
  EXPECT_EQ(box_->count("tick_to_order"), 0u);
  EXPECT_EQ(box_->count("tick_to_order:exit"), 0u);
  EXPECT_EQ(box_->count("tick_to_order:strategy"), 0u);
}

} // namespace
