// simex's market as a Coinbase client sees it (issue 13): a level-2 book that is valid after
// every message, tickers only on matches, and order totals that add up to their fills.

#include "fixtures.hpp"

#include "tools/simex/api/simulator.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <random>

using namespace trader;
using namespace trader::simex;
using namespace trader::simex::test;
using nlohmann::json;

namespace {

constexpr ts_ns minute = 60 * ns_per_s;

simulator_config config(std::uint64_t seed) {
  simulator_config c;
  c.seed = seed;
  c.market = model_config::standard(seed);
  return c;
}

std::int64_t units(const json& v) { return *detail::parse_units(v.get<std::string>()); }

/// An exact decimal string in 10^-16 units (filled_value has up to 16 decimals).
__int128 exact_units(const std::string& s) {
  auto dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  EXPECT_LE(frac.size(), 16u) << s;
  frac.resize(16, '0');
  bool neg = !whole.empty() && whole[0] == '-';
  __int128 v = 0;
  for (char c : whole.substr(neg ? 1 : 0) + frac)
    v = v * 10 + (c - '0');
  return neg ? -v : v;
}

/// A level-2 client: applies snapshots and updates as they arrive.
struct book_client {
  std::map<std::string, std::map<std::int64_t, std::int64_t>> bids, asks;  // product → price → size

  /// Applies one l2_data message; returns the products it touched.
  std::vector<std::string> apply(const json& m) {
    std::vector<std::string> touched;
    for (const auto& e : m["events"]) {
      const std::string id = e["product_id"];
      if (e["type"] == "snapshot") {
        bids[id].clear();
        asks[id].clear();
      }
      for (const auto& u : e["updates"]) {
        auto& side = u["side"] == "bid" ? bids[id] : asks[id];
        const auto q = units(u["new_quantity"]);
        if (q == 0)
          side.erase(units(u["price_level"]));
        else
          side[units(u["price_level"])] = q;
      }
      touched.push_back(id);
    }
    return touched;
  }
  /// "" when valid, else why not.
  std::string invalid(const std::string& id) {
    if (bids[id].empty() || asks[id].empty())
      return id + (bids[id].empty() ? " has no bids" : " has no offers");
    if (bids[id].rbegin()->first >= asks[id].begin()->first)
      return id + " is crossed";
    return "";
  }
};

} // namespace

// Verifies that a client applying every level2 message holds a book with both sides and best
// bid < best ask after each one, and that tickers come only after trades and quote that book.
TEST(SimexFidelity, BookValidAfterEveryMessageAndTickersOnlyOnMatchesOverTenMinutes) {
  for (std::uint64_t seed : {1u, 7u, 2026u}) {
    simulator sim(config(seed));
    sim.start(t0);
    auto ws = sim.open_ws(nullptr);
    std::vector<std::string> out;
    for (const char* ch : {"level2", "ticker", "market_trades"})
      ws->on_message(std::string(R"({"type":"subscribe","channel":")") + ch + R"("})", t0, out);
    book_client client;
    std::map<std::string, bool> traded_since_ticker;
    std::size_t l2_messages = 0, tickers = 0, trade_messages = 0;
    auto check = [&](const std::string& frame) {
      auto m = json::parse(frame);
      const std::string channel = m.value("channel", "");
      if (channel == "l2_data") {
        ++l2_messages;
        for (const auto& id : client.apply(m)) {
          auto why = client.invalid(id);
          ASSERT_EQ(why, "") << "seed " << seed << " after l2_data message " << l2_messages << ": " << frame.substr(0, 600);
        }
      } else if (channel == "market_trades") {
        if (m["events"][0]["type"] == "update") {
          ++trade_messages;
          for (const auto& t : m["events"][0]["trades"])
            traded_since_ticker[t["product_id"]] = true;
        }
      } else if (channel == "ticker" && m["events"][0]["type"] == "update") {
        ++tickers;
        for (const auto& t : m["events"][0]["tickers"]) {
          const std::string id = t["product_id"];
          ASSERT_TRUE(traded_since_ticker[id]) << "seed " << seed << ": a ticker without a match: " << frame;
          traded_since_ticker[id] = false;
          ASSERT_EQ(units(t["best_bid"]), client.bids[id].rbegin()->first) << frame;
          ASSERT_EQ(units(t["best_ask"]), client.asks[id].begin()->first) << frame;
        }
      }
    };
    for (const auto& f : out)
      check(f);
    for (ts_ns t = t0 + 50 * ns_per_ms; t <= t0 + 10 * minute; t += 50 * ns_per_ms) {
      sim.step(t);
      out.clear();
      ws->on_events(sim.events(), t, out);
      for (const auto& f : out) {
        check(f);
        if (::testing::Test::HasFatalFailure())
          return;
      }
    }
    EXPECT_GT(l2_messages, 10'000u) << "seed " << seed;
    EXPECT_GT(tickers, 1'000u) << "seed " << seed;
    EXPECT_LE(tickers, trade_messages) << "seed " << seed;
  }
}

// Verifies that the market_trades snapshot and the REST ticker have trades the moment simex starts.
TEST(SimexFidelity, MarketTradesAreSeededBeforeStart) {
  simulator sim(config(3));
  sim.start(t0);
  auto ws = sim.open_ws(nullptr);
  std::vector<std::string> out;
  ws->on_message(R"({"type":"subscribe","channel":"market_trades","product_ids":["BTC-USD"]})", t0, out);
  auto snap = json::parse(out.at(0));
  EXPECT_GE(snap["events"][0]["trades"].size(), 10u);
  http_reply r;
  rest_request req{"GET", "/api/v3/brokerage/market/products/ETH-USD/ticker", {{"limit", "5"}}, "", ""};
  sim.handle(req, t0, r);
  EXPECT_EQ(json::parse(r.body)["trades"].size(), 5u) << r.body;
}

// Verifies, on 1,200 random orders against the moving market, that every order's totals are
// its fills': filled_value = Σ price × size exactly, average_filled_price = filled_value /
// filled_size, total_fees = Σ commission, total_value_after_fees = filled_value ± total_fees.
TEST(SimexFidelity, OrderTotalsMatchTheirFillsOnRandomOrders) {
  simulator sim(config(11));
  sim.start(t0);
  std::mt19937_64 rng(5);
  const std::vector<std::string> keys = {"organizations/o/apiKeys/k1", "organizations/o/apiKeys/k2"};
  auto call = [&](std::string_view method, const std::string& path, std::string_view body, const std::string& key,
                  ts_ns now, query_params q = {}) {
    http_reply r;
    rest_request req{method, path, std::move(q), body, key};
    sim.handle(req, now, r);
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  };
  for (const auto& k : keys)
    for (auto [ccy, a] : {std::pair{"USD", "5000000"}, {"BTC", "100"}, {"ETH", "3000"}, {"SOL", "50000"}})
      sim.engine().deposit(k, ccy, *parse_fixed<amount_tag>(a));
  std::vector<std::pair<std::string, std::string>> orders;  // (key, order_id)
  ts_ns now = t0;
  const char* products[] = {"BTC-USD", "ETH-USD", "SOL-USD"};
  for (int i = 0; i < 1200; ++i) {
    now += 200 * ns_per_ms;
    sim.step(now);
    const std::string& key = keys[rng() % keys.size()];
    const std::string product = products[rng() % 3];
    const bool buy = rng() % 2 == 0;
    const auto book = call("GET", "/api/v3/brokerage/market/product_book", "", "", now,
                           {{"product_id", product}, {"limit", "1"}});
    const double bid = std::stod(book["pricebook"]["bids"][0]["price"].get<std::string>());
    const double ask = std::stod(book["pricebook"]["asks"][0]["price"].get<std::string>());
    const double mid = (bid + ask) / 2;
    std::string cfg;
    char buf[64];
    switch (rng() % 3) {
      case 0:  // market by base
        std::snprintf(buf, sizeof buf, "%.8f", (100.0 + static_cast<double>(rng() % 2000)) / mid);
        cfg = std::string(R"({"market_market_ioc":{"base_size":")") + buf + "\"}}";
        break;
      case 1:  // market by quote
        cfg = R"({"market_market_ioc":{"quote_size":")" + std::to_string(50 + rng() % 3000) + "\"}}";
        break;
      default:  // a limit near the touch: some fill at once, some rest and fill later
        std::snprintf(buf, sizeof buf, "%.2f", mid * (1.0 + (buy ? 1 : -1) * (static_cast<double>(rng() % 40) - 20.0) * 1e-5));
        char sz[32];
        std::snprintf(sz, sizeof sz, "%.8f", (100.0 + static_cast<double>(rng() % 2000)) / mid);
        cfg = std::string(R"({"limit_limit_gtc":{"base_size":")") + sz + R"(","limit_price":")" + buf + "\"}}";
    }
    auto r = call("POST", "/api/v3/brokerage/orders",
                  R"({"client_order_id":"c)" + std::to_string(i) + R"(","product_id":")" + product
                    + R"(","side":")" + (buy ? "BUY" : "SELL") + R"(","order_configuration":)" + cfg + "}",
                  key, now);
    ASSERT_EQ(r["success"], true) << r.dump();
    EXPECT_EQ(r["order_id"], r["success_response"]["order_id"]);
    EXPECT_EQ(r["failure_reason"], "UNKNOWN_FAILURE_REASON");
    orders.emplace_back(key, r["order_id"]);
  }
  for (int i = 0; i < 600; ++i)  // two more minutes: resting orders fill as the market moves
    sim.step(now += 200 * ns_per_ms);
  std::size_t filled = 0, multi_fill = 0;
  for (const auto& [key, id] : orders) {
    auto o = call("GET", "/api/v3/brokerage/orders/historical/" + id, "", key, now)["order"];
    auto fills = call("GET", "/api/v3/brokerage/orders/historical/fills", "", key, now,
                      {{"order_ids", id}, {"limit", "1000"}})["fills"];
    __int128 value = 0;
    std::int64_t size = 0, fees = 0;
    for (const auto& f : fills) {
      value += static_cast<__int128>(units(f["price"])) * units(f["size"]);
      size += units(f["size"]);
      fees += units(f["commission"]);
    }
    ASSERT_EQ(units(o["filled_size"]), size) << o.dump();
    ASSERT_TRUE(exact_units(o["filled_value"]) == value) << o.dump();
    ASSERT_EQ(units(o["total_fees"]), fees) << o.dump();
    const __int128 after = o["side"] == "BUY" ? value + static_cast<__int128>(fees) * 100'000'000
                                              : value - static_cast<__int128>(fees) * 100'000'000;
    ASSERT_TRUE(exact_units(o["total_value_after_fees"]) == after) << o.dump();
    if (size == 0) {
      EXPECT_EQ(units(o["average_filled_price"]), 0);
      continue;
    }
    ++filled;
    multi_fill += fills.size() > 1;
    // filled_value / filled_size to the nearest 1e-8 (exactly the price of a single fill).
    const __int128 avg2 = value * 2 / size;
    const __int128 avg = (avg2 + 1) / 2;
    ASSERT_TRUE(units(o["average_filled_price"]) == avg) << o.dump();
    if (o["status"] == "FILLED")
      EXPECT_EQ(o["completion_percentage"], "100") << o.dump();
  }
  EXPECT_GT(filled, 800u);
  EXPECT_GT(multi_fill, 5u);  // seeded: enough orders filled in several parts to check the sums
}
