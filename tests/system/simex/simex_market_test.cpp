// The real simex binary's market as a Coinbase client reads it over loopback (issue 13): a
// level-2 book valid after every message through the transport, tickers only after trades,
// create-order replies with the deprecated top-level fields and amounts echoed as sent.
#include "messages/numeric.hpp"
#include "runtime/net/https_client.hpp"
#include "runtime/net/jwt.hpp"
#include "runtime/net/ws_client.hpp"
#include "tests/system/simex/simex_key.hpp"
#include "tests/system/simex/simex_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <map>

using namespace trader;
using namespace trader::net;
using namespace std::chrono_literals;
using trader::testing::simex_process;

namespace {

const std::string key_name = "organizations/test-org/apiKeys/market-test";
const std::string prefix = "/api/v3/brokerage";

const trader::testing::simex_test_key& fixture_key() {
  static const trader::testing::simex_test_key k{key_name, "simex_market"};
  return k;
}

ts_ns wall_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
    .count();
}

std::int64_t units(const nlohmann::json& v) { return *trader::detail::parse_units(v.get<std::string>()); }

} // namespace

// Verifies, for two seeds and ten simulated minutes each (accelerated clock), that a client
// applying every l2_data message as it arrives always holds bids and offers with best bid <
// best ask, and that every ticker follows a trade of its product and quotes that book.
TEST(SimexMarket, Level2BookStaysValidThroughTheTransportForTenSimulatedMinutes) {
  for (const char* seed : {"1", "7"}) {
    simex_process sx({"--log-file", "-", "--seed", seed, "--clock", "accelerated", "--speed", "120"});
    ws_client ws;
    ASSERT_FALSE(ws.connect(sx.ws()));
    for (const char* ch : {"heartbeats", "level2", "ticker", "market_trades"})
      ASSERT_FALSE(ws.send_text(std::string(R"({"type":"subscribe","channel":")") + ch + R"("})"));
    std::map<std::string, std::map<std::int64_t, std::int64_t>> bids, asks;
    std::map<std::string, bool> traded;
    std::int64_t last_seq = -1;
    std::size_t l2 = 0, tickers = 0;
    auto end = std::chrono::steady_clock::now() + 5s;  // 600 simulated seconds
    while (std::chrono::steady_clock::now() < end) {
      auto m = ws.read(3s);
      ASSERT_TRUE(m.ok()) << m.error().detail;
      auto j = nlohmann::json::parse(m->text);
      if (!j.contains("sequence_num"))
        continue;
      EXPECT_EQ(j["sequence_num"].get<std::int64_t>(), last_seq + 1);
      last_seq = j["sequence_num"].get<std::int64_t>();
      const std::string channel = j["channel"];
      for (const auto& e : j["events"]) {
        if (channel == "l2_data") {
          const std::string id = e["product_id"];
          if (e["type"] == "snapshot") {
            bids[id].clear();
            asks[id].clear();
          }
          for (const auto& u : e["updates"]) {
            auto& side = u["side"] == "bid" ? bids[id] : asks[id];
            if (units(u["new_quantity"]) == 0)
              side.erase(units(u["price_level"]));
            else
              side[units(u["price_level"])] = units(u["new_quantity"]);
          }
          ++l2;
          ASSERT_FALSE(bids[id].empty() || asks[id].empty()) << "seed " << seed << " " << id << " one-sided";
          ASSERT_LT(bids[id].rbegin()->first, asks[id].begin()->first) << "seed " << seed << " " << id << " crossed";
        } else if (channel == "market_trades" && e["type"] == "update") {
          for (const auto& t : e["trades"])
            traded[t["product_id"]] = true;
        } else if (channel == "ticker" && e["type"] == "update") {
          for (const auto& t : e["tickers"]) {
            const std::string id = t["product_id"];
            ++tickers;
            EXPECT_TRUE(traded[id]) << "a ticker without a trade: " << m->text;
            traded[id] = false;
            EXPECT_EQ(units(t["best_bid"]), bids[id].rbegin()->first) << m->text;
            EXPECT_EQ(units(t["best_ask"]), asks[id].begin()->first) << m->text;
          }
        }
      }
    }
    EXPECT_GT(l2, 1000u) << "seed " << seed;
    EXPECT_GT(tickers, 100u) << "seed " << seed;
  }
}

// Verifies the create-order reply as Coinbase still sends it (top-level order_id and
// failure_reason), amounts echoed as sent, user_id the key's name and a seeded tape.
TEST(SimexMarket, CreateOrderReplyEchoesTheRequestAndCarriesTopLevelFields) {
  simex_process sx({"--api-key", fixture_key().arg(), "--log-file", "-"});
  https_client c(sx.rest());
  auto call = [&](const std::string& method, const std::string& target, std::string body = {}) {
    auto jwt = sign_rest_jwt(fixture_key().key(), method, c.host_header(), target.substr(0, target.find('?')),
                             wall_now());
    auto r = c.request(http_request{method, target, {{"Authorization", "Bearer " + jwt}}, std::move(body)});
    EXPECT_TRUE(r.ok());
    return r.ok() ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json();
  };
  auto tape = c.get(prefix + "/market/products/BTC-USD/ticker?limit=3");
  ASSERT_TRUE(tape.ok());
  EXPECT_EQ(nlohmann::json::parse(tape->body)["trades"].size(), 3u) << tape->body;

  auto ok = call("POST", prefix + "/orders",
                 R"({"client_order_id":"m-1","product_id":"BTC-USD","side":"BUY",)"
                 R"("order_configuration":{"market_market_ioc":{"quote_size":"10"}}})");
  ASSERT_EQ(ok["success"], true) << ok.dump();
  EXPECT_EQ(ok["order_id"], ok["success_response"]["order_id"]);
  EXPECT_EQ(ok["failure_reason"], "UNKNOWN_FAILURE_REASON");
  EXPECT_EQ(ok["order_configuration"]["market_market_ioc"]["quote_size"], "10");
  auto o = call("GET", prefix + "/orders/historical/" + ok["order_id"].get<std::string>())["order"];
  EXPECT_EQ(o["user_id"], key_name);
  EXPECT_EQ(o["status"], "FILLED");
  EXPECT_EQ(o["completion_percentage"], "100");
  EXPECT_EQ(o["order_configuration"]["market_market_ioc"]["quote_size"], "10");

  auto refused = call("POST", prefix + "/orders",
                      R"({"client_order_id":"m-2","product_id":"BTC-USD","side":"BUY",)"
                      R"("order_configuration":{"market_market_ioc":{"quote_size":"100000000"}}})");
  EXPECT_EQ(refused["success"], false);
  EXPECT_EQ(refused["order_id"], "");
  EXPECT_EQ(refused["failure_reason"], "UNKNOWN_FAILURE_REASON");
  EXPECT_NE(refused["error_response"].value("new_order_failure_reason", ""), "") << refused.dump();
}
