// Exchange data taken as sent (issue 12 item 8): product ids in products, orders and fills
// bodies are the exchange's own ("T-USD", "BIP-20DEC30-CDE", "ADA-PERP-INTX", "WBTC-USD"),
// never rewritten by the config canonicalizer; an element the daemon cannot represent is
// skipped and named, the rest of the body delivered; a broken document still fails whole.
#include "actors/exchange/coinbase/rest_parse.hpp"
#include "actors/exchange/coinbase/symbols.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace trader;
using namespace trader::exchange;

namespace {

/// Ids Coinbase lists that the canonicalizer mangled or refused: a one-letter base, two
/// derivatives and the wrapped-BTC alias, next to BTC-USD itself.
const std::vector<std::string> exchange_ids{"T-USD", "BIP-20DEC30-CDE", "ADA-PERP-INTX", "WBTC-USD", "BTC-USD"};

std::string product_json(const std::string& id) {
  return R"({"product_id":")" + id + R"(","base_increment":"0.01","quote_increment":"0.01",
    "price_increment":"0.01","status":"online","product_type":"SPOT"})";
}

std::string order_json(const std::string& order_id, const std::string& product) {
  return R"({"order_id":")" + order_id + R"(","client_order_id":"c-)" + order_id + R"(","product_id":")" + product
         + R"(","status":"OPEN","filled_size":"0"})";
}

std::string fill_json(const std::string& trade, const std::string& product, const std::string& price = R"("10")") {
  return R"({"trade_id":")" + trade + R"(","order_id":"o-)" + trade + R"(","product_id":")" + product
         + R"(","price":)" + price + R"(,"size":"1","side":"BUY","trade_time":"2024-01-02T03:04:05Z"})";
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (auto& p : parts)
    out += (out.empty() ? "" : ",") + p;
  return out;
}

} // namespace

// issue 12 item 8: ids are taken as sent; only what the daemon cannot represent is refused.
TEST(ExchangeData, ProductIdsFromTheExchangeAreTakenAsSent) {
  for (const auto& id : exchange_ids) {
    auto p = product_from_exchange(id);
    ASSERT_TRUE(p) << id << ": " << p.error();
    EXPECT_EQ(p->value, id);
  }
  for (const char* bad : {"", "BTC", "btc-usd", "BTC USD", "BTC/USD", "-USD", "BTC-", "BTC--USD", "BTC-USD\n"}) {
    auto p = product_from_exchange(bad);
    ASSERT_FALSE(p) << bad;
    EXPECT_NE(p.error().find("'" + std::string(bad) + "'"), std::string::npos) << p.error();
  }
  EXPECT_FALSE(product_from_exchange(std::string(65, 'A') + "-USD"));
}

// issue 12 item 8: a request keeps an exchange-shaped id (WBTC-USD is not BTC-USD) and
// still accepts an operator's spelling.
TEST(ExchangeData, RequestsKeepExchangeIdsAndAcceptOperatorSpellings) {
  EXPECT_EQ(requested_product("WBTC-USD")->value, "WBTC-USD");
  EXPECT_EQ(requested_product("T-USD")->value, "T-USD");
  EXPECT_EQ(requested_product("ADA-PERP-INTX")->value, "ADA-PERP-INTX");
  EXPECT_EQ(requested_product("btc/usd")->value, "BTC-USD");
  EXPECT_EQ(requested_product(" ETHUSDC ")->value, "ETH-USDC");
  EXPECT_FALSE(requested_product("BTCXYZ"));
  EXPECT_EQ(canonical_product("WBTC-USD")->value, "BTC-USD");  // the config canonicalizer keeps its alias
}

// issue 12 item 8: a products body with these ids is delivered whole, WBTC-USD and BTC-USD
// as two products.
TEST(ExchangeData, ProductsBodyKeepsEveryExchangeId) {
  std::vector<std::string> elems;
  for (auto& id : exchange_ids)
    elems.push_back(product_json(id));
  auto r = parse_products(R"({"products":[)" + join(elems) + "]}", 7);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->skipped.empty());
  ASSERT_EQ(r->products.size(), exchange_ids.size());
  for (std::size_t i = 0; i < exchange_ids.size(); ++i)
    EXPECT_EQ(r->products[i].product.value, exchange_ids[i]);
  auto bip = r->products[1];  // without base/quote fields: derived from the id's first and last parts
  EXPECT_EQ(bip.base_currency, "BIP");
  EXPECT_EQ(bip.quote_currency, "CDE");
  EXPECT_EQ(parse_product(product_json("T-USD"), 0)->product.value, "T-USD");
}

// issue 12 item 8: orders in each of these products are delivered with the id as sent.
TEST(ExchangeData, OrdersBodyKeepsEveryExchangeId) {
  std::vector<std::string> elems;
  for (std::size_t i = 0; i < exchange_ids.size(); ++i)
    elems.push_back(order_json("o" + std::to_string(i), exchange_ids[i]));
  auto r = parse_orders(R"({"orders":[)" + join(elems) + R"(],"has_next":false})", 0);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->skipped.empty());
  ASSERT_EQ(r->orders.size(), exchange_ids.size());
  for (std::size_t i = 0; i < exchange_ids.size(); ++i)
    EXPECT_EQ(r->orders[i].product.value, exchange_ids[i]);
  auto one = parse_order(R"({"order":)" + order_json("x", "WBTC-USD") + "}", 0);
  ASSERT_TRUE(one) << one.error().describe();
  EXPECT_EQ(one->product.value, "WBTC-USD");
}

// issue 12 item 8: fills in each of these products are delivered with the id as sent.
TEST(ExchangeData, FillsBodyKeepsEveryExchangeId) {
  std::vector<std::string> elems;
  for (std::size_t i = 0; i < exchange_ids.size(); ++i)
    elems.push_back(fill_json("t" + std::to_string(i), exchange_ids[i]));
  auto r = parse_fills(R"({"fills":[)" + join(elems) + R"(],"cursor":""})", 0);
  ASSERT_TRUE(r) << r.error().describe();
  EXPECT_TRUE(r->skipped.empty());
  ASSERT_EQ(r->fills.size(), exchange_ids.size());
  for (std::size_t i = 0; i < exchange_ids.size(); ++i)
    EXPECT_EQ(r->fills[i].product.value, exchange_ids[i]);
}

// issue 12 item 8: one product the daemon cannot represent is skipped and named; the
// products before and after it are delivered.
TEST(ExchangeData, OneBadProductAmongGoodOnesIsSkippedAndNamed) {
  auto body = R"({"products":[)" + join({product_json("BTC-USD"), product_json("bad id"), product_json("T-USD")})
              + "]}";
  auto r = parse_products(body, 0);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->products.size(), 2u);
  EXPECT_EQ(r->products[0].product.value, "BTC-USD");
  EXPECT_EQ(r->products[1].product.value, "T-USD");
  ASSERT_EQ(r->skipped.size(), 1u);
  EXPECT_EQ(r->skipped[0].field, "products[1].product_id");
  EXPECT_NE(r->skipped[0].why.find("'bad id'"), std::string::npos) << r->skipped[0].why;
  // A bad decimal is skipped the same way, not only a bad id.
  auto decimal = parse_products(R"({"products":[)" + product_json("ETH-USD") + ","
                                  + R"({"product_id":"X-USD","base_increment":"ten","quote_increment":"0.01",
                                       "status":"online"}]})",
                                0);
  ASSERT_TRUE(decimal) << decimal.error().describe();
  EXPECT_EQ(decimal->products.size(), 1u);
  ASSERT_EQ(decimal->skipped.size(), 1u);
  EXPECT_EQ(decimal->skipped[0].field, "products[1].base_increment");
}

// issue 12 item 8: one order the daemon cannot represent (no order_id; a number where a
// string belongs; not an object) is skipped and named; the orders around it are delivered
// and the page's cursor still read.
TEST(ExchangeData, OneBadOrderAmongGoodOnesIsSkippedAndNamed) {
  auto body = R"({"orders":[)"
              + join({order_json("a", "BTC-USD"), R"({"status":"OPEN","product_id":"BTC-USD"})",
                      R"({"order_id":"n","status":"OPEN","product_id":42})", R"("not an order")",
                      order_json("b", "ADA-PERP-INTX")})
              + R"(],"has_next":true,"cursor":"c2"})";
  auto r = parse_orders(body, 0);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->orders.size(), 2u);
  EXPECT_EQ(r->orders[0].exchange_id.value, "a");
  EXPECT_EQ(r->orders[1].exchange_id.value, "b");
  EXPECT_TRUE(r->has_next);
  EXPECT_EQ(r->cursor, "c2");
  ASSERT_EQ(r->skipped.size(), 3u);
  EXPECT_EQ(r->skipped[0].field, "orders[1].order_id");
  EXPECT_EQ(r->skipped[1].field, "orders[2].product_id");
  EXPECT_EQ(r->skipped[2].field, "orders[3]");
}

// issue 12 item 8: one fill the daemon cannot represent is skipped and named; the others
// are delivered.
TEST(ExchangeData, OneBadFillAmongGoodOnesIsSkippedAndNamed) {
  auto body = R"({"fills":[)"
              + join({fill_json("t1", "BTC-USD"), fill_json("t2", "BTC-USD", R"("1e3")"),
                      fill_json("t3", "BTC-USD", "12.5"), fill_json("t4", "", R"("10")"), fill_json("t5", "T-USD")})
              + R"(],"cursor":"next"})";
  auto r = parse_fills(body, 0);
  ASSERT_TRUE(r) << r.error().describe();
  ASSERT_EQ(r->fills.size(), 2u);
  EXPECT_EQ(r->fills[0].trade.value, "t1");
  EXPECT_EQ(r->fills[1].trade.value, "t5");
  EXPECT_EQ(r->cursor, "next");
  ASSERT_EQ(r->skipped.size(), 3u);
  EXPECT_EQ(r->skipped[0].field, "fills[1].price");
  EXPECT_EQ(r->skipped[1].field, "fills[2].price");
  EXPECT_EQ(r->skipped[2].field, "fills[3].product_id");
}

// A broken document is not an element problem: the whole body still fails, naming the
// endpoint, so a truncated answer is never taken for a short list.
TEST(ExchangeData, ABrokenDocumentStillFailsTheWholeBody) {
  auto truncated = parse_fills(R"({"fills":[)" + fill_json("t1", "BTC-USD") + R"(,{"trade_id":"t2","pri)", 0);
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().kind, error_kind::bad_reply);
  EXPECT_NE(truncated.error().detail.find("endpoint=GET /orders/historical/fills"), std::string::npos);
  auto garbled = parse_orders(R"({"orders":[)" + order_json("a", "BTC-USD") + R"(,{"order_id" "b"}],"has_next":false})", 0);
  ASSERT_FALSE(garbled);
  EXPECT_EQ(garbled.error().kind, error_kind::bad_reply);
  EXPECT_FALSE(parse_products(R"({"products":[)", 0));
  EXPECT_FALSE(parse_products(R"({"items":[]})", 0));  // the list itself missing
}
