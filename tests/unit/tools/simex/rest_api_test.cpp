// REST handlers: shapes, types (numbers as strings), status codes and error bodies.

#include "fixtures.hpp"

#include "tools/simex/api/rest_api.hpp"
#include "tools/simex/api/simulator.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace trader;
using namespace trader::simex;
using namespace trader::simex::test;
using nlohmann::json;

namespace {

struct RestApi : ::testing::Test {
  exchange ex;
  rest_api api{ex};
  http_reply last;

  RestApi() {
    setup(ex);
    api.bind_key("organizations/o/apiKeys/alice", "alice");
  }
  json call(std::string_view method, std::string_view path, std::string_view query = "", std::string_view body = "{}",
            std::string_view key = "organizations/o/apiKeys/alice", ts_ns now = t0) {
    rest_request r;
    r.method = method;
    std::string full = "/api/v3/brokerage" + std::string{path};
    r.path = full;
    parse_query(query, r.query);
    r.body = body;
    r.key_name = key;
    last = api.handle(r, now);
    return json::parse(last.body, nullptr, false);
  }
  json create(const std::string& coid, const std::string& cfg, const char* side = "BUY") {
    return call("POST", "/orders", "",
                R"({"client_order_id":")" + coid + R"(","product_id":"BTC-USD","side":")" + side
                  + R"(","order_configuration":)" + cfg + "}");
  }
};

} // namespace

TEST_F(RestApi, ServerTimeIsPublicWithStringEpochs) {
  auto j = call("GET", "/time", "", "", "");
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(j["iso"], "2026-08-09T21:05:48.000Z");
  EXPECT_EQ(j["epochSeconds"], "1786309548");
  EXPECT_EQ(j["epochMillis"], "1786309548000");
}

TEST_F(RestApi, PrivateEndpointWithoutKeyIs401AndPublicMirrorIsOpen) {
  call("GET", "/accounts", "", "{}", "");
  EXPECT_EQ(last.status, 401);
  call("GET", "/products", "", "{}", "");
  EXPECT_EQ(last.status, 401);
  call("GET", "/market/products", "", "{}", "");
  EXPECT_EQ(last.status, 200);
  EXPECT_TRUE(rest_api::requires_auth("/api/v3/brokerage/orders"));
  EXPECT_FALSE(rest_api::requires_auth("/api/v3/brokerage/market/product_book"));
}

TEST_F(RestApi, ProductsCarryIncrementsAsStringsAndFlagsAsBooleans) {
  auto j = call("GET", "/market/products");
  ASSERT_EQ(j["num_products"], 1);
  auto p = j["products"][0];
  EXPECT_EQ(p["product_id"], "BTC-USD");
  EXPECT_EQ(p["base_increment"], "0.00000001");
  EXPECT_EQ(p["quote_increment"], "0.01");
  EXPECT_EQ(p["base_min_size"], "0.0001");
  EXPECT_EQ(p["quote_min_size"], "1");
  EXPECT_EQ(p["status"], "online");
  EXPECT_EQ(p["product_type"], "SPOT");
  EXPECT_EQ(p["cancel_only"], false);
  EXPECT_TRUE(p["fcm_trading_session_details"].is_null());
  EXPECT_FALSE(p.contains("min_market_funds"));
  EXPECT_TRUE(call("GET", "/market/products", "product_type=FUTURE")["products"].empty());
  EXPECT_EQ(call("GET", "/products/BTC-USD")["product_id"], "BTC-USD");
  auto nf = call("GET", "/products/NOPE-USD");
  EXPECT_EQ(last.status, 404);
  EXPECT_EQ(nf["error"], "NOT_FOUND");
}

TEST_F(RestApi, CreateOrderReturnsSuccessResponseAndTheOrderReadsBack) {
  auto j = create("c-1", R"({"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00","post_only":true}})");
  ASSERT_EQ(last.status, 200);
  ASSERT_EQ(j["success"], true) << last.body;
  auto sr = j["success_response"];
  EXPECT_EQ(sr["client_order_id"], "c-1");
  EXPECT_EQ(sr["side"], "BUY");
  EXPECT_EQ(j["order_configuration"]["limit_limit_gtc"]["limit_price"], "10000.00");
  EXPECT_EQ(j["order_configuration"]["limit_limit_gtc"]["post_only"], true);
  auto o = call("GET", "/orders/historical/" + sr["order_id"].get<std::string>())["order"];
  EXPECT_EQ(o["status"], "OPEN");
  EXPECT_EQ(o["order_type"], "LIMIT");
  EXPECT_EQ(o["time_in_force"], "GOOD_UNTIL_CANCELLED");
  EXPECT_EQ(o["filled_size"], "0.00000000");
  EXPECT_EQ(o["number_of_fills"], "0");
  EXPECT_EQ(o["completion_percentage"], "0");
  EXPECT_EQ(o["outstanding_hold_amount"], "10.09");
  EXPECT_TRUE(o["last_fill_time"].is_null());
  EXPECT_EQ(o["created_time"], "2026-08-09T21:05:48.000000Z");
}

TEST_F(RestApi, BusinessRejectIs200WithErrorResponseAndMalformedIs400) {
  auto j = create("c-2", R"({"limit_limit_gtc":{"base_size":"5","limit_price":"50000.00"}})");
  EXPECT_EQ(last.status, 200);
  EXPECT_EQ(j["success"], false);
  EXPECT_EQ(j["error_response"]["error"], "INSUFFICIENT_FUND");
  EXPECT_EQ(j["error_response"]["new_order_failure_reason"], "INSUFFICIENT_FUND");
  EXPECT_EQ(j["error_response"]["preview_failure_reason"], "PREVIEW_INSUFFICIENT_FUND");
  EXPECT_EQ(j["order_configuration"]["limit_limit_gtc"]["base_size"], "5");
  auto prec = create("c-3", R"({"limit_limit_gtc":{"base_size":"0.001","limit_price":"100.001"}})");
  EXPECT_EQ(prec["error_response"]["error"], "INVALID_PRICE_PRECISION");
  auto cfg = create("c-4", R"({"stop_limit_stop_limit_gtc":{"base_size":"1","limit_price":"1","stop_price":"1"}})");
  EXPECT_EQ(cfg["error_response"]["error"], "UNSUPPORTED_ORDER_CONFIGURATION");
  auto bad = call("POST", "/orders", "", "{not json");
  EXPECT_EQ(last.status, 400);
  EXPECT_EQ(bad["error"], "INVALID_ARGUMENT");
}

TEST_F(RestApi, ReusedClientOrderIdReturnsTheSameOrderId) {
  auto a = create("same", R"({"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00"}})");
  auto b = create("same", R"({"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00"}})");
  EXPECT_EQ(b["success"], true);
  EXPECT_EQ(a["success_response"]["order_id"], b["success_response"]["order_id"]);
  EXPECT_EQ(call("GET", "/orders/historical/batch")["orders"].size(), 1u);
}

TEST_F(RestApi, BatchCancelReportsEachOrder) {
  auto a = create("c-5", R"({"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00"}})");
  std::string id = a["success_response"]["order_id"];
  auto j = call("POST", "/orders/batch_cancel", "", R"({"order_ids":[")" + id + R"(","nope"]})");
  ASSERT_EQ(j["results"].size(), 2u);
  EXPECT_EQ(j["results"][0]["success"], true);
  EXPECT_EQ(j["results"][0]["order_id"], id);
  EXPECT_EQ(j["results"][1]["success"], false);
  EXPECT_EQ(j["results"][1]["failure_reason"], "UNKNOWN_CANCEL_ORDER");
  EXPECT_EQ(call("GET", "/orders/historical/" + id)["order"]["status"], "CANCELLED");
  auto nf = call("GET", "/orders/historical/nope");
  EXPECT_EQ(last.status, 404);
  EXPECT_EQ(nf["error_details"], "order with this orderID was not found");
}

TEST_F(RestApi, ListOrdersFiltersAndPagesWithCursor) {
  for (int i = 0; i < 3; ++i)
    create("p" + std::to_string(i), R"({"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00"}})");
  auto p1 = call("GET", "/orders/historical/batch", "order_status=OPEN&limit=2&product_id=BTC-USD");
  ASSERT_EQ(p1["orders"].size(), 2u);
  EXPECT_EQ(p1["has_next"], true);
  EXPECT_EQ(p1["orders"][0]["client_order_id"], "p2");
  auto p2 = call("GET", "/orders/historical/batch", "order_status=OPEN&limit=2&cursor=" + p1["cursor"].get<std::string>());
  ASSERT_EQ(p2["orders"].size(), 1u);
  EXPECT_EQ(p2["has_next"], false);
  EXPECT_EQ(p2["cursor"], "");
  EXPECT_TRUE(call("GET", "/orders/historical/batch", "order_status=FILLED")["orders"].empty());
  call("GET", "/orders/historical/batch", "order_status=BOGUS");
  EXPECT_EQ(last.status, 400);
  // Values simex never has (QUEUED, a STOP type) filter to nothing on their own, and add
  // nothing beside others (the filters are ORs); ALL is no filter.
  EXPECT_TRUE(call("GET", "/orders/historical/batch", "order_status=QUEUED")["orders"].empty());
  EXPECT_EQ(call("GET", "/orders/historical/batch", "order_status=OPEN&order_status=QUEUED")["orders"].size(), 3u);
  EXPECT_EQ(call("GET", "/orders/historical/batch", "order_status=ALL")["orders"].size(), 3u);
  EXPECT_TRUE(call("GET", "/orders/historical/batch", "order_types=STOP")["orders"].empty());
  EXPECT_EQ(call("GET", "/orders/historical/batch", "order_types=STOP&order_types=LIMIT")["orders"].size(), 3u);
  EXPECT_TRUE(call("GET", "/orders/historical/batch", "order_types=MARKET")["orders"].empty());
}

TEST_F(RestApi, FillsPageWithCursorAndFeesShowInTransactionSummary) {
  ex.place(limit("bob", side::sell, "50000.00", "1", "b1"), t0);
  for (int i = 0; i < 3; ++i)
    create("m" + std::to_string(i), R"({"market_market_ioc":{"quote_size":"100"}})");
  auto p1 = call("GET", "/orders/historical/fills", "limit=2&product_id=BTC-USD");
  ASSERT_EQ(p1["fills"].size(), 2u);
  EXPECT_NE(p1["cursor"], "");
  auto f = p1["fills"][0];
  EXPECT_EQ(f["liquidity_indicator"], "TAKER");
  EXPECT_EQ(f["trade_type"], "FILL");
  EXPECT_EQ(f["price"], "50000.00");
  EXPECT_TRUE(f["commission"].is_string());
  auto p2 = call("GET", "/orders/historical/fills", "limit=2&cursor=" + p1["cursor"].get<std::string>());
  EXPECT_EQ(p2["fills"].size(), 1u);
  EXPECT_EQ(p2["cursor"], "");
  auto ts = call("GET", "/transaction_summary");
  EXPECT_TRUE(ts["total_volume"].is_number());
  EXPECT_EQ(ts["fee_tier"]["pricing_tier"], "Intro 1");
  EXPECT_EQ(ts["fee_tier"]["taker_fee_rate"], "0.009");
  EXPECT_EQ(ts["fee_tier"]["maker_fee_rate"], "0.005");
  EXPECT_EQ(ts["advanced_trade_only_volume"], ts["total_volume"]);
  auto perms = call("GET", "/key_permissions");
  EXPECT_EQ(perms["can_trade"], true);
  EXPECT_EQ(perms["portfolio_type"], "DEFAULT");
}

TEST_F(RestApi, AccountsShowAvailableAndHold) {
  create("c-6", R"({"limit_limit_gtc":{"base_size":"1","limit_price":"10000.00"}})");
  auto j = call("GET", "/accounts", "limit=250");
  ASSERT_EQ(j["size"], 2);
  EXPECT_EQ(j["has_next"], false);
  auto usd = j["accounts"][1];
  EXPECT_EQ(usd["currency"], "USD");
  EXPECT_EQ(usd["available_balance"]["value"], "89910");
  EXPECT_EQ(usd["hold"]["value"], "10090");
  EXPECT_EQ(usd["type"], "ACCOUNT_TYPE_FIAT");
  auto one = call("GET", "/accounts/" + usd["uuid"].get<std::string>());
  EXPECT_EQ(one["account"]["currency"], "USD");
  auto page = call("GET", "/accounts", "limit=1");
  EXPECT_EQ(page["has_next"], true);
  EXPECT_EQ(page["cursor"], "1");
}

TEST_F(RestApi, BookBestBidAskTradesAndCandles) {
  ex.place(limit("bob", side::sell, "50000.00", "1", "b1"), t0);
  ex.place(limit("bob", side::buy, "49990.00", "1", "b2"), t0);
  ex.place(market("alice", side::buy, "0.1", "a1"), t0 + ns_per_s);
  auto book = call("GET", "/market/product_book", "product_id=BTC-USD&limit=5");
  EXPECT_EQ(book["pricebook"]["asks"][0]["price"], "50000.00");
  EXPECT_EQ(book["pricebook"]["asks"][0]["size"], "0.90000000");
  EXPECT_EQ(book["pricebook"]["bids"][0]["price"], "49990.00");
  EXPECT_EQ(book["spread_absolute"], "10.00");
  EXPECT_EQ(book["last"], "50000.00");
  auto bba = call("GET", "/best_bid_ask", "product_ids=BTC-USD");
  EXPECT_EQ(bba["pricebooks"][0]["bids"][0]["price"], "49990.00");
  auto trades = call("GET", "/market/products/BTC-USD/ticker", "limit=10");
  ASSERT_EQ(trades["trades"].size(), 1u);
  EXPECT_EQ(trades["trades"][0]["side"], "SELL");  // the maker's side
  EXPECT_EQ(trades["best_ask"], "50000.00");
  const std::int64_t s = t0 / ns_per_s;
  auto c = call("GET", "/market/products/BTC-USD/candles",
                "granularity=ONE_MINUTE&start=" + std::to_string(s - 600) + "&end=" + std::to_string(s + 60));
  ASSERT_EQ(c["candles"].size(), 1u);
  EXPECT_EQ(c["candles"][0]["close"], "50000.00");
  EXPECT_TRUE(c["candles"][0]["start"].is_string());
  auto too_many = call("GET", "/market/products/BTC-USD/candles",
                       "granularity=ONE_MINUTE&start=0&end=" + std::to_string(s));
  EXPECT_EQ(last.status, 400);
  EXPECT_EQ(too_many["error"], "INVALID_ARGUMENT");
  EXPECT_NE(too_many["error_details"].get<std::string>().find("less than 350"), std::string::npos);
}

// Coinbase's window is [start, end]: a client pages older history by lowering end
// (traderd's backfill does, under the 350-bucket limit).
TEST_F(RestApi, CandlesHonourStartAndEndSoHistoryCanBePaged) {
  ex.place(limit("bob", side::sell, "50000.00", "1", "b1"), t0);
  ex.place(market("alice", side::buy, "0.1", "a1"), t0);            // a trade in minute 0
  ex.place(limit("bob", side::sell, "50100.00", "1", "b3"), t0 + 600 * ns_per_s);
  ex.place(market("alice", side::buy, "1", "a2"), t0 + 600 * ns_per_s);  // 50000 then 50100 in minute 10
  const std::int64_t m0 = t0 / ns_per_s / 60 * 60;
  auto both = call("GET", "/market/products/BTC-USD/candles",
                   "granularity=ONE_MINUTE&start=" + std::to_string(m0) + "&end=" + std::to_string(m0 + 900));
  ASSERT_EQ(both["candles"].size(), 2u);  // newest first
  EXPECT_EQ(both["candles"][0]["start"], std::to_string(m0 + 600));
  auto older = call("GET", "/market/products/BTC-USD/candles",
                    "granularity=ONE_MINUTE&start=" + std::to_string(m0 - 300) + "&end=" + std::to_string(m0 + 300));
  ASSERT_EQ(older["candles"].size(), 1u);  // the minute-10 bucket lies after end
  EXPECT_EQ(older["candles"][0]["start"], std::to_string(m0));
  auto newer = call("GET", "/market/products/BTC-USD/candles",
                    "granularity=ONE_MINUTE&start=" + std::to_string(m0 + 60) + "&end=" + std::to_string(m0 + 600));
  ASSERT_EQ(newer["candles"].size(), 1u);  // end is inclusive, the minute-0 bucket before start
  EXPECT_EQ(newer["candles"][0]["start"], std::to_string(m0 + 600));
}

TEST_F(RestApi, PreviewEstimatesAndReportsErrs) {
  ex.place(limit("bob", side::sell, "50000.00", "1", "b1"), t0);
  auto p = call("POST", "/orders/preview", "",
                R"({"product_id":"BTC-USD","side":"BUY","order_configuration":{"market_market_ioc":{"base_size":"0.1"}}})");
  EXPECT_EQ(last.status, 200);
  EXPECT_TRUE(p["errs"].empty());
  EXPECT_EQ(p["quote_size"], "5000.00");
  EXPECT_EQ(p["commission_total"], "45");
  EXPECT_EQ(p["order_total"], "5045.00");
  EXPECT_NE(p["preview_id"], "");
  auto bad = call("POST", "/orders/preview", "",
                  R"({"product_id":"BTC-USD","side":"BUY","order_configuration":{"limit_limit_gtc":{"base_size":"3","limit_price":"50000.00"}}})");
  EXPECT_EQ(bad["errs"][0], "PREVIEW_INSUFFICIENT_FUND");
  EXPECT_EQ(call("GET", "/orders/historical/batch")["orders"].size(), 0u);
}

TEST_F(RestApi, OutOfRangeTimesAre400) {
  call("GET", "/market/products/BTC-USD/candles", "granularity=ONE_MINUTE&start=9223372036854775000&end=9223372036854775807");
  EXPECT_EQ(last.status, 400);
  call("GET", "/market/products/BTC-USD/ticker", "limit=1&end=9223372036854775807");
  EXPECT_EQ(last.status, 400);
}

TEST_F(RestApi, UnknownRouteIs404) {
  call("GET", "/nope");
  EXPECT_EQ(last.status, 404);
}

TEST(Simulator, FundsNewKeysServesRestAndFeedsWsSessions) {
  simulator_config cfg;
  cfg.seed = 9;
  cfg.key_users = {{"organizations/o/apiKeys/k2", "desk"}};
  simulator sim{cfg};
  sim.start(t0);
  auto ws = sim.open_ws([](std::string_view jwt) { return std::optional<std::string>{std::string{jwt}}; });
  std::vector<std::string> frames;
  ws->on_message(R"({"type":"subscribe","channel":"user","jwt":"organizations/o/apiKeys/k2"})", t0, frames);
  ws->on_message(R"({"type":"subscribe","channel":"ticker","product_ids":["SOL-USD"]})", t0, frames);
  sim.step(t0 + ns_per_s);
  rest_request r;
  r.method = "POST";
  r.path = "/api/v3/brokerage/orders";
  r.key_name = "organizations/o/apiKeys/k2";
  r.body = R"({"client_order_id":"s1","product_id":"SOL-USD","side":"BUY","order_configuration":{"market_market_ioc":{"quote_size":"100"}}})";
  http_reply out;
  sim.handle(r, t0 + ns_per_s, out);
  auto j = json::parse(out.body);
  ASSERT_EQ(j["success"], true) << out.body;
  EXPECT_NE(sim.engine().ledger().find("desk", "SOL"), nullptr);
  frames.clear();
  sim.step(t0 + 2 * ns_per_s);
  ws->on_events(sim.events(), t0 + 2 * ns_per_s, frames);
  bool user_fill = false, ticker = false;
  for (const auto& f : frames) {
    auto m = json::parse(f);
    if (m["channel"] == "user" && m["events"][0]["orders"][0]["status"] == "FILLED")
      user_fill = true;
    ticker = ticker || m["channel"] == "ticker";
  }
  EXPECT_TRUE(user_fill);
  EXPECT_TRUE(ticker);
  EXPECT_THROW(simulator(simulator_config{.replay_ws_file = "/nonexistent.jsonl"}), std::runtime_error);
}

TEST_F(RestApi, OddlyTypedBodiesAre400) {
  call("POST", "/orders", "", R"({"client_order_id":1,"product_id":"BTC-USD","side":"BUY"})");
  EXPECT_EQ(last.status, 400);
  call("POST", "/orders/batch_cancel", "", R"({"order_ids":"abc"})");
  EXPECT_EQ(last.status, 400);
  auto j = create("c-9", R"({"limit_limit_gtc":{"base_size":"0.001","limit_price":"10000.00","post_only":"maybe"}})");
  EXPECT_EQ(last.status, 400);
  EXPECT_EQ(j["error"], "INVALID_ARGUMENT");
}

TEST_F(RestApi, SorLimitIocAndDeprecatedClientOrderIdLookup) {
  ex.place(limit("bob", side::sell, "50000.00", "0.1", "b1"), t0);
  auto j = create("ioc-1", R"({"sor_limit_ioc":{"base_size":"0.2","limit_price":"50000.00"}})");
  ASSERT_EQ(j["success"], true) << last.body;
  EXPECT_FALSE(j["order_configuration"]["sor_limit_ioc"].contains("post_only"));
  auto o = call("GET", "/orders/historical/unknown-id", "client_order_id=ioc-1")["order"];
  EXPECT_EQ(o["status"], "CANCELLED");
  EXPECT_EQ(o["time_in_force"], "IMMEDIATE_OR_CANCEL");
  EXPECT_EQ(o["filled_size"], "0.10000000");
  EXPECT_EQ(call("GET", "/orders/historical/batch", "time_in_forces=IMMEDIATE_OR_CANCEL")["orders"].size(), 1u);
}
