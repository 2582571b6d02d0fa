// Exchange data taken as sent, end to end (issue 12 item 8): the products, orders and fills
// actors on a real-thread actor system against a loopback server that answers with bodies
// simex would never send — a one-letter base, derivatives, WBTC-USD beside BTC-USD, and
// one element the daemon cannot represent. The good elements arrive with their ids as
// sent, the bad one is skipped, counted in the reply and in the per-endpoint metric.
#include "actors/exchange/fills/fills_actor.hpp"
#include "actors/exchange/orders/orders_actor.hpp"
#include "actors/exchange/products/products_actor.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/system_config.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/support/metric_value.hpp"
#include "tests/system/exchange/canned_exchange.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <prometheus/registry.h>

using namespace trader;
using namespace std::chrono_literals;
using trader::testing::canned_exchange;

namespace {

const std::string prefix = "/api/v3/brokerage";

std::string product_json(const std::string& id) {
  return R"({"product_id":")" + id + R"(","base_increment":"0.01","quote_increment":"0.01","status":"online"})";
}
std::string order_json(const std::string& order_id, const std::string& product) {
  return R"({"order_id":")" + order_id + R"(","product_id":")" + product + R"(","status":"OPEN"})";
}
std::string fill_json(const std::string& trade, const std::string& product) {
  return R"({"trade_id":")" + trade + R"(","order_id":"o-)" + trade + R"(","product_id":")" + product
         + R"(","price":"10","size":"1","side":"BUY"})";
}

/// The bodies: every odd id, and one element the daemon cannot represent in each list.
std::map<std::string, std::string> bodies() {
  return {
    {prefix + "/products",
     R"({"products":[)" + product_json("T-USD") + "," + product_json("BIP-20DEC30-CDE") + ","
       + product_json("ADA-PERP-INTX") + "," + product_json("lower-usd") + "," + product_json("WBTC-USD") + ","
       + product_json("BTC-USD") + "]}"},
    {prefix + "/orders/historical/batch",
     R"({"orders":[)" + order_json("a", "T-USD") + "," + order_json("b", "BIP-20DEC30-CDE") + ","
       + R"({"order_id":"c","status":"OPEN","product_id":""})" + "," + order_json("d", "WBTC-USD")
       + R"(],"has_next":false,"cursor":""})"},
    {prefix + "/orders/historical/fills",
     R"({"fills":[)" + fill_json("t1", "ADA-PERP-INTX") + "," + R"({"trade_id":"t2","order_id":"o","size":"1"})"
       + "," + fill_json("t3", "WBTC-USD") + R"(],"cursor":""})"},
  };
}

class ExchangeData : public ::testing::Test {
protected:
  ExchangeData() {
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    key_ = std::make_shared<const net::api_key>(
      *net::api_key::from_pem("organizations/o/apiKeys/k", net::testing::generate_ec_key_pem()));
  }
  ~ExchangeData() override {
    for (auto& a : spawned_)
      caf::anon_send_exit(a, caf::exit_reason::kill);
    spawned_.clear();
    sys_.reset();
  }
  exchange::endpoint_options options() {
    exchange::endpoint_options o;
    o.rest_base_url = server_.url();
    o.credentials = key_;
    o.request_timeout = 2s;
    o.connect_timeout = 2s;
    o.retry = exchange::retry_policy{2, 10ms, 50ms};
    o.metrics = &metrics_;
    return o;
  }
  caf::actor keep(caf::actor a) {
    spawned_.push_back(a);
    return a;
  }
  template <class Reply, class Msg>
  caf::expected<Reply> ask(const caf::actor& dst, Msg msg) {
    caf::scoped_actor self{*sys_};
    caf::expected<Reply> out = caf::make_error(caf::sec::request_timeout);
    self->request(dst, 20s, std::move(msg))
      .receive([&](Reply& r) { out = std::move(r); }, [&](caf::error& e) { out = std::move(e); });
    return out;
  }
  double skipped_metric(const std::string& actor, const std::string& endpoint) {
    return test::metric_value(metrics_, "trader_" + actor + "_skipped_elements_total", {{"endpoint", endpoint}})
      .value_or(-1);
  }

  canned_exchange server_{bodies()};
  prometheus::Registry metrics_;
  core::system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  core::registry reg_;
  std::shared_ptr<const net::api_key> key_;
  std::vector<caf::actor> spawned_;
};

} // namespace

// issue 12 item 8: a products body with a one-letter base, derivatives and WBTC-USD is
// delivered (WBTC-USD and BTC-USD stay two products); the one id the daemon cannot
// represent is skipped, counted in the reply and in trader_products_skipped_elements_total.
TEST_F(ExchangeData, ProductsArriveAsSentAndTheUnrepresentableOneIsCounted) {
  auto products = keep(products::spawn_products(*sys_, reg_, options()));
  auto list = ask<product_list>(products, get_products{true});
  ASSERT_TRUE(list) << to_string(list.error());
  std::vector<std::string> ids;
  for (auto& p : list->products)
    ids.push_back(p.product.value);
  EXPECT_EQ(ids, (std::vector<std::string>{"ADA-PERP-INTX", "BIP-20DEC30-CDE", "BTC-USD", "T-USD", "WBTC-USD"}));
  EXPECT_EQ(list->skipped, 1u);
  EXPECT_GE(skipped_metric("products", "GET /products"), 1);  // the start-up refresh counts too
  auto wbtc = ask<product_info>(products, get_product{product_id{"WBTC-USD"}});
  ASSERT_TRUE(wbtc) << to_string(wbtc.error());
  EXPECT_EQ(wbtc->product.value, "WBTC-USD");
  auto btc = ask<product_info>(products, get_product{product_id{"btc/usd"}});  // an operator's spelling
  ASSERT_TRUE(btc) << to_string(btc.error());
  EXPECT_EQ(btc->product.value, "BTC-USD");
}

// issue 12 item 8: open orders in these products arrive with their ids as sent; the order
// with no product id is skipped and counted, so the caller knows the list is incomplete.
TEST_F(ExchangeData, OpenOrdersArriveAsSentAndTheUnrepresentableOneIsCounted) {
  auto orders = keep(orders::spawn_orders(*sys_, reg_, options()));
  auto list = ask<order_list>(orders, list_open_orders{});
  ASSERT_TRUE(list) << to_string(list.error());
  ASSERT_EQ(list->orders.size(), 3u);
  EXPECT_EQ(list->orders[0].product.value, "T-USD");
  EXPECT_EQ(list->orders[1].product.value, "BIP-20DEC30-CDE");
  EXPECT_EQ(list->orders[2].product.value, "WBTC-USD");
  EXPECT_EQ(list->skipped, 1u);
  EXPECT_EQ(skipped_metric("orders", "GET /orders/historical/batch"), 1);
  // A filter names the product as the exchange does: WBTC-USD is not rewritten to BTC-USD.
  auto filtered = ask<order_list>(orders, list_open_orders{product_id{"WBTC-USD"}});
  ASSERT_TRUE(filtered) << to_string(filtered.error());
  auto targets = server_.targets();
  ASSERT_FALSE(targets.empty());
  EXPECT_NE(targets.back().find("product_ids=WBTC-USD"), std::string::npos) << targets.back();
}

// issue 12 item 8: fills arrive with their ids as sent; the fill without a price is skipped
// and counted.
TEST_F(ExchangeData, FillsArriveAsSentAndTheUnrepresentableOneIsCounted) {
  auto fills = keep(fills::spawn_fills(*sys_, reg_, options()));
  auto list = ask<fill_list>(fills, get_fills{});
  ASSERT_TRUE(list) << to_string(list.error());
  ASSERT_EQ(list->fills.size(), 2u);
  EXPECT_EQ(list->fills[0].product.value, "ADA-PERP-INTX");
  EXPECT_EQ(list->fills[1].product.value, "WBTC-USD");
  EXPECT_EQ(list->skipped, 1u);
  EXPECT_EQ(skipped_metric("fills", "GET /orders/historical/fills"), 1);
}
