// Parsers on reference-shaped bodies (coinbase-api.md §2), and bad fields named with their
// endpoint and path.
#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "actors/exchange/coinbase/order_body.hpp"
#include "actors/exchange/coinbase/rest_parse.hpp"
#include "messages/names.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace trader;
using namespace trader::exchange;

namespace {

const char* product_body = R"({"product_id":"BTC-USD","price":"67000.01","base_increment":"0.00000001",
  "quote_increment":"0.01","price_increment":"0.01","quote_min_size":"1","quote_max_size":"150000000",
  "base_min_size":"0.00000001","base_max_size":"3400","base_currency_id":"BTC","quote_currency_id":"USD",
  "status":"online","cancel_only":false,"limit_only":false,"post_only":false,"trading_disabled":false,
  "is_disabled":false,"product_type":"SPOT","alias":"","alias_to":["BTC-USDC"],"new":false})";

std::string with_field(const char* body, const std::string& key, nlohmann::json value) {
  auto j = nlohmann::json::parse(body);
  if (value.is_null())
    j.erase(key);
  else
    j[key] = value;
  return j.dump();
}

/// The error detail must name the endpoint and the field.
void expect_bad(const exchange_error& e, std::string_view endpoint, std::string_view field) {
  EXPECT_EQ(e.kind, error_kind::bad_reply);
  EXPECT_NE(e.detail.find("endpoint=" + std::string(endpoint)), std::string::npos) << e.detail;
  EXPECT_NE(e.detail.find("field=" + std::string(field)), std::string::npos) << e.detail;
}

} // namespace

TEST(RestParse, ServerTimeFromEpochMillisOrIso) {
  auto t = parse_time(R"({"iso":"2023-10-26T10:05:30.123Z","epochSeconds":"1698314730","epochMillis":"1698314730123"})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, 1698314730123LL * ns_per_ms);
  auto iso = parse_time(R"({"iso":"2023-10-26T10:05:30.123Z"})");
  ASSERT_TRUE(iso.ok()) << iso.error().describe();
  EXPECT_EQ(*iso, 1698314730123LL * ns_per_ms);
  expect_bad(parse_time(R"({"epochMillis":"soon"})").error(), "GET /time", "epochMillis");
  // Beyond ts_ns (the fuzzer's find: the nanosecond product overflowed).
  expect_bad(parse_time(R"({"epochMillis":"17863095480000"})").error(), "GET /time", "epochMillis");
  expect_bad(parse_candles(R"({"candles":[{"start":"8585625424945596186","low":"1","high":"1","open":"1","close":"1","volume":"1"}]})",
                           product_id{"BTC-USD"}, 60, 0)
               .error(),
             "GET /products/{id}/candles", "candles[0].start");
  expect_bad(parse_time("<html>").error(), "GET /time", "(body)");
}

TEST(RestParse, ProductRulesAreExactDecimals) {
  auto p = parse_product(product_body, 5);
  ASSERT_TRUE(p.ok()) << p.error().describe();
  EXPECT_EQ(p->product.value, "BTC-USD");
  EXPECT_EQ(p->price_increment, price::from_units(1'000'000));
  EXPECT_EQ(p->base_increment, size::from_units(1));
  EXPECT_EQ(p->base_max_size, size::from_int(3400));
  EXPECT_EQ(p->quote_min_size, notional::from_int(1));
  EXPECT_EQ(p->state, product_state::online);
  EXPECT_EQ(p->raw_status, "online");
  EXPECT_EQ(p->fetched, 5);
}

// new_at is the listing date the universe's listing age reads; absent, null or not a time: 0.
TEST(RestParse, ProductListingDateFromNewAt) {
  EXPECT_EQ(parse_product(product_body, 5)->listed_at, 0);
  auto p = parse_product(with_field(product_body, "new_at", "2023-01-01T00:00:00Z"), 5);
  ASSERT_TRUE(p.ok()) << p.error().describe();
  EXPECT_EQ(p->listed_at, 1'672'531'200LL * ns_per_s);
  for (auto bad : {nlohmann::json(12), nlohmann::json("soon")}) {
    auto q = parse_product(with_field(product_body, "new_at", bad), 5);
    ASSERT_TRUE(q.ok()) << q.error().describe();  // never fails the product
    EXPECT_EQ(q->listed_at, 0);
  }
}

TEST(RestParse, ProductStatusMapping) {
  EXPECT_EQ(product_state_of("online", false, false, false, false), product_state::online);
  EXPECT_EQ(product_state_of("offline", false, false, false, false), product_state::offline);
  EXPECT_EQ(product_state_of("internal", false, false, false, false), product_state::offline);
  EXPECT_EQ(product_state_of("delisted", false, false, false, false), product_state::delisted);
  EXPECT_EQ(product_state_of("online", true, false, false, false), product_state::offline);
  EXPECT_EQ(product_state_of("online", false, true, false, false), product_state::cancel_only);
  EXPECT_EQ(product_state_of("online", false, false, true, false), product_state::limit_only);
  EXPECT_EQ(product_state_of("online", false, false, false, true), product_state::post_only);
  auto p = parse_product(with_field(product_body, "cancel_only", true), 0);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->state, product_state::cancel_only);
}

TEST(RestParse, ProductBadFieldsNameTheField) {
  expect_bad(parse_product(with_field(product_body, "base_increment", "0.0x"), 0).error(), "GET /products/{id}",
             "base_increment");
  expect_bad(parse_product(with_field(product_body, "base_increment", 0.01), 0).error(), "GET /products/{id}",
             "base_increment");
  expect_bad(parse_product(with_field(product_body, "status", nullptr), 0).error(), "GET /products/{id}", "status");
  // In a list the product is skipped and named instead (exchange_data_test has the rest).
  auto list = std::string(R"({"products":[)") + product_body + "," + with_field(product_body, "product_id", "BTC") +
              R"(],"num_products":2})";
  auto skipped = parse_products(list, 0);
  ASSERT_TRUE(skipped) << skipped.error().describe();
  EXPECT_EQ(skipped->products.size(), 1u);
  ASSERT_EQ(skipped->skipped.size(), 1u);
  EXPECT_EQ(skipped->skipped[0].field, "products[1].product_id");
}

TEST(RestParse, AccountsPage) {
  auto body = R"({"accounts":[
    {"uuid":"a","name":"USD Wallet","currency":"USD","available_balance":{"value":"1000.50","currency":"USD"},
     "hold":{"value":"10","currency":"USD"},"type":"ACCOUNT_TYPE_FIAT"},
    {"uuid":"b","name":"BTC Wallet","currency":"BTC","available_balance":{"value":"0.5","currency":"BTC"},
     "hold":{"value":"0","currency":"BTC"}}],"has_next":true,"cursor":"c2","size":2})";
  auto p = parse_accounts(body);
  ASSERT_TRUE(p.ok()) << p.error().describe();
  ASSERT_EQ(p->balances.size(), 2u);
  EXPECT_EQ(p->balances[0].currency, "USD");
  EXPECT_EQ(p->balances[0].available, notional::from_units(100'050'000'000));
  EXPECT_EQ(p->balances[0].hold, notional::from_int(10));
  EXPECT_TRUE(p->has_next);
  EXPECT_EQ(p->cursor, "c2");
  auto bad = R"({"accounts":[{"currency":"USD","available_balance":{"value":"1"},"hold":{"value":"ten"}}]})";
  expect_bad(parse_accounts(bad).error(), "GET /accounts", "accounts[0].hold.value");
}

TEST(RestParse, FeeTier) {
  auto body = R"({"total_volume":1234.5,"total_fees":5.25,"fee_tier":{"pricing_tier":"Advanced 1",
    "usd_from":"1000","usd_to":"10000","taker_fee_rate":"0.0075","maker_fee_rate":"0.0035","aop_from":"","aop_to":""},
    "margin_rate":null,"has_promo_fee":false})";
  auto f = parse_transaction_summary(body, 9);
  ASSERT_TRUE(f.ok()) << f.error().describe();
  EXPECT_EQ(f->tier, "Advanced 1");
  EXPECT_DOUBLE_EQ(f->maker_rate, 0.0035);
  EXPECT_DOUBLE_EQ(f->taker_rate, 0.0075);
  EXPECT_EQ(f->volume_30d, notional::from_units(123'450'000'000));
  expect_bad(parse_transaction_summary(R"({"fee_tier":{"pricing_tier":"x","maker_fee_rate":"a","taker_fee_rate":"0"}})", 0)
               .error(),
             "GET /transaction_summary", "fee_tier.maker_fee_rate");
}

TEST(RestParse, CreateOrderSuccessAndRefusal) {
  client_order_id cid{"cid-1"};
  auto ok = parse_create_order(R"({"success":true,"success_response":{"order_id":"ex-1","product_id":"BTC-USD",
    "side":"BUY","client_order_id":"cid-1"},"order_configuration":{"limit_limit_gtc":{"base_size":"0.001"}}})",
                               cid);
  ASSERT_TRUE(ok.ok()) << ok.error().describe();
  EXPECT_TRUE(ok->accepted);
  EXPECT_EQ(ok->exchange_id.value, "ex-1");
  EXPECT_EQ(ok->id, cid);
  auto no = parse_create_order(R"({"success":false,"error_response":{"error":"INSUFFICIENT_FUND","message":"m",
    "error_details":"d","preview_failure_reason":"PREVIEW_INSUFFICIENT_FUND","new_order_failure_reason":"INSUFFICIENT_FUND"}})",
                               cid);
  ASSERT_TRUE(no.ok());
  EXPECT_FALSE(no->accepted);
  EXPECT_EQ(no->failure_reason, "INSUFFICIENT_FUND");
  // An uninformative order reason gives way to the preview reason, verbatim.
  auto small = parse_create_order(R"({"success":false,"error_response":{"error":"UNKNOWN_FAILURE_REASON",
    "new_order_failure_reason":"UNKNOWN_FAILURE_REASON","preview_failure_reason":"PREVIEW_INVALID_BASE_SIZE_TOO_SMALL"}})",
                                  cid);
  EXPECT_EQ(small->failure_reason, "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL");
  expect_bad(parse_create_order(R"({"success":true,"success_response":{}})", cid).error(), "POST /orders",
             "success_response.order_id");
  expect_bad(parse_create_order(R"({"success":"yes"})", cid).error(), "POST /orders", "success");
  expect_bad(parse_create_order(R"({"order_configuration":{}})", cid).error(), "POST /orders", "success");
}

TEST(RestParse, BatchCancel) {
  auto r = parse_batch_cancel(R"({"results":[{"success":true,"failure_reason":"UNKNOWN_CANCEL_FAILURE_REASON","order_id":"a"},
    {"success":false,"failure_reason":"UNKNOWN_CANCEL_ORDER","order_id":"b"}]})");
  ASSERT_TRUE(r.ok()) << r.error().describe();
  ASSERT_EQ(r->results.size(), 2u);
  EXPECT_TRUE(r->results[0].success);
  EXPECT_EQ(r->results[0].failure_reason, "");
  EXPECT_FALSE(r->results[1].success);
  EXPECT_EQ(r->results[1].failure_reason, "UNKNOWN_CANCEL_ORDER");
  expect_bad(parse_batch_cancel(R"({"results":[{"success":true}]})").error(), "POST /orders/batch_cancel",
             "results[0].order_id");
}

TEST(RestParse, OrderObject) {
  auto body = R"({"order":{"order_id":"ex-9","product_id":"BTC-USD","user_id":"u","side":"BUY",
    "client_order_id":"cid-9","status":"OPEN","time_in_force":"GOOD_UNTIL_CANCELLED",
    "created_time":"2024-01-02T03:04:05.5Z","completion_percentage":"50","filled_size":"0.0005",
    "average_filled_price":"65000.5","number_of_fills":"1","total_fees":"0.12","reject_reason":"REJECT_REASON_UNSPECIFIED",
    "last_fill_time":null,"edit_history":[]}})";
  auto o = parse_order(body, 77);
  ASSERT_TRUE(o.ok()) << o.error().describe();
  EXPECT_EQ(o->exchange_id.value, "ex-9");
  EXPECT_EQ(o->id.value, "cid-9");
  EXPECT_EQ(o->state, order_state::partially_filled);
  EXPECT_EQ(o->filled_size, size::from_units(50'000));
  EXPECT_EQ(o->avg_fill_px, price::from_units(6'500'050'000'000));
  EXPECT_EQ(o->total_fees, notional::from_units(12'000'000));
  EXPECT_EQ(o->reject_reason, "");
  EXPECT_EQ(o->ts_recv, 77);
  EXPECT_GT(o->ts_event, 0);
  EXPECT_TRUE(o->dir_known);
  EXPECT_EQ(o->dir, side::buy);
  EXPECT_TRUE(o->ordered_size.is_zero());  // no order_configuration in this body
  auto conf = parse_order(R"({"order":{"order_id":"ex-8","status":"OPEN","side":"SELL","order_configuration":
    {"limit_limit_gtc":{"base_size":"0.25","limit_price":"70000.5","post_only":true}}}})", 0);
  ASSERT_TRUE(conf.ok()) << conf.error().describe();
  EXPECT_EQ(conf->dir, side::sell);
  EXPECT_EQ(conf->ordered_size, size::from_units(25'000'000));
  EXPECT_EQ(conf->limit_px, price::from_units(7'000'050'000'000));
  expect_bad(parse_order(R"({"order":{"order_id":"x","status":"OPEN","filled_size":"1e3"}})", 0).error(),
             "GET /orders/historical/{id}", "order.filled_size");
  expect_bad(parse_order(R"({"order":{"order_id":"x"}})", 0).error(), "GET /orders/historical/{id}", "order.status");
  EXPECT_EQ(order_state_of("FILLED", true), order_state::filled);
  EXPECT_EQ(order_state_of("CANCELLED", false), order_state::canceled);
  EXPECT_EQ(order_state_of("FAILED", false), order_state::rejected);
  EXPECT_EQ(order_state_of("CANCEL_QUEUED", false), order_state::open);
  EXPECT_EQ(order_state_of("WHATEVER", false), order_state::unknown);
}

TEST(RestParse, OrdersAndFillsPages) {
  auto orders = parse_orders(R"({"orders":[{"order_id":"a","status":"OPEN","product_id":"ETH-USD"}],
    "sequence":"0","has_next":true,"cursor":"next"})",
                             0);
  ASSERT_TRUE(orders.ok()) << orders.error().describe();
  EXPECT_EQ(orders->orders.size(), 1u);
  EXPECT_TRUE(orders->has_next);
  EXPECT_EQ(orders->cursor, "next");
  auto no_id = parse_orders(R"({"orders":[{"status":"OPEN"}]})", 0);
  ASSERT_TRUE(no_id) << no_id.error().describe();
  EXPECT_TRUE(no_id->orders.empty());
  ASSERT_EQ(no_id->skipped.size(), 1u);
  EXPECT_EQ(no_id->skipped[0].field, "orders[0].order_id");
  auto fills = parse_fills(R"({"fills":[{"entry_id":"e","trade_id":"t1","order_id":"ex-1",
    "trade_time":"2024-01-02T03:04:05Z","trade_type":"FILL","price":"65000","size":"0.001","commission":"0.29",
    "product_id":"BTC-USD","sequence_timestamp":"2024-01-02T03:04:05.1Z","liquidity_indicator":"MAKER",
    "size_in_quote":false,"user_id":"u","side":"SELL"}],"cursor":""})",
                           3);
  ASSERT_TRUE(fills.ok()) << fills.error().describe();
  ASSERT_EQ(fills->fills.size(), 1u);
  auto& f = fills->fills[0];
  EXPECT_EQ(f.trade.value, "t1");
  EXPECT_EQ(f.exchange_order.value, "ex-1");
  EXPECT_EQ(f.dir, side::sell);
  EXPECT_EQ(f.liq, liquidity::maker);
  EXPECT_EQ(f.fee, notional::from_units(29'000'000));
  EXPECT_FALSE(f.size_in_quote);
  EXPECT_EQ(fills->cursor, "");
  // A market buy by quote size: Coinbase gives the size in quote and says so (issue 16).
  auto quote = parse_fills(R"({"fills":[{"trade_id":"t2","order_id":"ex-2","price":"50000","size":"100",
    "commission":"0.6","product_id":"BTC-USD","size_in_quote":true,"side":"BUY"}],"cursor":""})", 3);
  ASSERT_TRUE(quote.ok()) << quote.error().describe();
  ASSERT_EQ(quote->fills.size(), 1u);
  EXPECT_TRUE(quote->fills[0].size_in_quote);
  EXPECT_EQ(to_string(quote->fills[0].qty), "100");
  // Coinbase computes such sizes and commissions at full precision: kept, rounded to 1e-8,
  // never a skipped (lost) fill.
  auto precise = parse_fills(R"({"fills":[{"trade_id":"t3","order_id":"ex-3","price":"1897.53",
    "size":"4.9603174603174603","commission":"0.0297619047619048","product_id":"ETH-USD","size_in_quote":true,
    "side":"BUY"}],"cursor":""})", 3);
  ASSERT_TRUE(precise.ok()) << precise.error().describe();
  ASSERT_EQ(precise->fills.size(), 1u) << (precise->skipped.empty() ? "" : precise->skipped[0].field);
  EXPECT_EQ(to_string(precise->fills[0].qty), "4.96031746");
  EXPECT_EQ(to_string(precise->fills[0].fee), "0.0297619");
  auto long_side = parse_fills(R"({"fills":[{"trade_id":"t","order_id":"o","price":"1","size":"1","side":"LONG"}]})", 0);
  ASSERT_TRUE(long_side) << long_side.error().describe();
  ASSERT_EQ(long_side->skipped.size(), 1u);
  EXPECT_EQ(long_side->skipped[0].field, "fills[0].side");
  expect_bad(parse_fills(R"({"cursor":""})", 0).error(), "GET /orders/historical/fills", "fills");
}

TEST(RestParse, OrderBodyHasExactlyOneConfiguration) {
  create_order o;
  o.id = client_order_id{"cid"};
  o.product = product_id{"BTC-USD"};
  o.dir = side::buy;
  o.type = order_type::limit;
  o.tif = time_in_force::gtc;
  o.base_size = size::from_units(100'000);
  o.limit_px = price::from_int(60000);
  o.post_only = true;
  auto j = nlohmann::json::parse(*order_body(o, true, ep::create_order));
  EXPECT_EQ(j["client_order_id"], "cid");
  EXPECT_EQ(j["side"], "BUY");
  EXPECT_EQ(j["order_configuration"].size(), 1u);
  auto& c = j["order_configuration"]["limit_limit_gtc"];
  EXPECT_EQ(c["base_size"], "0.001");
  EXPECT_EQ(c["limit_price"], "60000");
  EXPECT_EQ(c["post_only"], true);
  o.type = order_type::market;
  o.tif = time_in_force::ioc;
  o.post_only = false;
  o.base_size = {};
  o.quote_size = notional::from_int(25);
  auto m = nlohmann::json::parse(*order_body(o, false, ep::preview_order));
  EXPECT_FALSE(m.contains("client_order_id"));
  EXPECT_EQ(m["order_configuration"]["market_market_ioc"]["quote_size"], "25");
  EXPECT_FALSE(m["order_configuration"]["market_market_ioc"].contains("limit_price"));
}

// One order vocabulary (type, time in force, post_only): limit IOC and FOK are expressible;
// what the exchange would refuse is refused before sending, naming the combination.
TEST(RestParse, OrderBodyExpressesEveryLimitTimeInForceAndRefusesTheRest) {
  create_order o;
  o.id = client_order_id{"cid"};
  o.product = product_id{"BTC-USD"};
  o.base_size = size::from_int(1);
  o.limit_px = price::from_int(100);
  o.type = order_type::limit;
  const std::pair<time_in_force, const char*> keys[] = {{time_in_force::gtc, "limit_limit_gtc"},
                                                         {time_in_force::gtd, "limit_limit_gtd"},
                                                         {time_in_force::ioc, "sor_limit_ioc"},
                                                         {time_in_force::fok, "limit_limit_fok"}};
  for (auto [tif, key] : keys) {
    o.tif = tif;
    o.end_time = tif == time_in_force::gtd ? 1'700'000'000LL * 1'000'000'000 : 0;
    auto body = order_body(o, true, ep::create_order);
    ASSERT_TRUE(body) << key << ": " << body.error().describe();
    auto j = nlohmann::json::parse(*body);
    ASSERT_EQ(j["order_configuration"].size(), 1u) << *body;
    auto& c = j["order_configuration"][key];
    EXPECT_EQ(c["limit_price"], "100") << key;
    EXPECT_EQ(c.contains("post_only"), tif == time_in_force::gtc || tif == time_in_force::gtd) << key;
    EXPECT_EQ(c.contains("end_time"), tif == time_in_force::gtd) << key;
  }
  struct refused {
    order_type type;
    time_in_force tif;
    bool post_only;
  };
  for (auto r : {refused{order_type::market, time_in_force::gtc, false}, refused{order_type::market, time_in_force::fok, false},
                 refused{order_type::market, time_in_force::ioc, true}, refused{order_type::limit, time_in_force::ioc, true},
                 refused{order_type::limit, time_in_force::fok, true}}) {
    o.type = r.type;
    o.tif = r.tif;
    o.post_only = r.post_only;
    auto body = order_body(o, true, ep::create_order);
    ASSERT_FALSE(body) << to_string(r.type) << " " << to_string(r.tif);
    EXPECT_EQ(body.error().kind, error_kind::bad_request);
    EXPECT_EQ(body.error().endpoint, "POST /orders");
    EXPECT_NE(body.error().detail.find("not sent"), std::string::npos) << body.error().detail;
  }
}

TEST(RestParse, CandlesOldestFirstExactDecimals) {
  auto r = parse_candles(R"({"candles":[
      {"start":"1700000300","low":"10.5","high":"12","open":"11","close":"11.75","volume":"3.25"},
      {"start":"1700000000","low":"9","high":"11","open":"10","close":"11","volume":"1"}]})",
                         product_id{"BTC-USD"}, 300, 42);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].start, 1700000000LL * 1'000'000'000);
  EXPECT_EQ(to_string((*r)[1].close), "11.75");
  EXPECT_EQ(to_string((*r)[1].volume), "3.25");
  EXPECT_EQ((*r)[1].granularity_s, 300);
  EXPECT_EQ((*r)[1].product.value, "BTC-USD");
}

TEST(RestParse, CandleBadFieldsNameEndpointAndField) {
  auto r = parse_candles(R"({"candles":[{"start":"soon","low":"1","high":"1","open":"1","close":"1","volume":"1"}]})",
                         product_id{"BTC-USD"}, 300, 0);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().describe().find("candles[0].start"), std::string::npos) << r.error().describe();
  EXPECT_NE(r.error().describe().find("candles"), std::string::npos);
  auto missing = parse_candles(R"({"candles":[{"start":"1","low":"1","high":"1","open":"1","volume":"1"}]})",
                               product_id{"BTC-USD"}, 300, 0);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().describe().find("candles[0].close"), std::string::npos);
}
