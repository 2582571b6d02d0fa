// simex's market as a Coinbase client sees it (issue 13): a level-2 book that is valid after
// every message, tickers only on matches, and order totals that add up to their fills.

#include "fixtures.hpp"

#include "tools/simex/api/simulator.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <set>

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

/// What one run of the market showed the client.
struct run_counts {
  std::size_t l2_messages = 0, tickers = 0, trade_messages = 0, cascades = 0, user_fills = 0;
  std::set<regime> regimes;
};

/// Ten simulated minutes of seed's market (six products), every l2_data, ticker and
/// market_trades message applied as a client would. The book must be valid after each
/// l2_data message and after each single book_change event the engine published; every
/// ticker must follow a trade of its product and quote that book. Without with_user (house
/// flow only) each taker must give exactly one market_trades message and one ticker, however
/// many makers it met. with_user: a user keeps small limit orders resting at and just behind
/// the touch, so the moving ladder runs into them (new house levels meet a user's order).
void run_market(std::uint64_t seed, bool with_user, run_counts& n) {
  simulator sim(config(seed));
  sim.start(t0);
  auto ws = sim.open_ws(nullptr);
  std::vector<std::string> out;
  for (const char* ch : {"level2", "ticker", "market_trades"})
    ws->on_message(std::string(R"({"type":"subscribe","channel":")") + ch + R"("})", t0, out);
  book_client client;
  std::map<std::string, int> trades_since_ticker;  // market_trades updates since the last ticker
  auto check = [&](const std::string& frame) {
    auto m = json::parse(frame);
    const std::string channel = m.value("channel", "");
    if (channel == "l2_data") {
      ++n.l2_messages;
      for (const auto& id : client.apply(m)) {
        auto why = client.invalid(id);
        ASSERT_EQ(why, "") << "seed " << seed << " after l2_data message " << n.l2_messages << ": " << frame.substr(0, 600);
      }
    } else if (channel == "market_trades") {
      if (m["events"][0]["type"] == "update") {
        ++n.trade_messages;
        const auto& trades = m["events"][0]["trades"];
        n.cascades += trades.size() > 1;
        ++trades_since_ticker[trades[0]["product_id"]];
      }
    } else if (channel == "ticker" && m["events"][0]["type"] == "update") {
      ++n.tickers;
      for (const auto& t : m["events"][0]["tickers"]) {
        const std::string id = t["product_id"];
        ASSERT_GE(trades_since_ticker[id], 1) << "seed " << seed << ": a ticker without a match: " << frame;
        if (!with_user) {
          ASSERT_EQ(trades_since_ticker[id], 1) << "seed " << seed << ": one taker's trades without their ticker";
        }
        trades_since_ticker[id] = 0;
        ASSERT_EQ(units(t["best_bid"]), client.bids[id].rbegin()->first) << frame;
        ASSERT_EQ(units(t["best_ask"]), client.asks[id].begin()->first) << frame;
      }
    }
  };
  for (const auto& f : out)
    check(f);
  // The same book kept from the engine's events one book_change at a time: valid after every
  // single change, so no batching of messages is needed to hide a transient state.
  book_client engine_book = client;
  auto check_events = [&](const std::vector<event>& events) {
    for (const auto& e : events)
      if (const auto* bc = std::get_if<book_change>(&e)) {
        auto& levels = bc->book_side == side::buy ? engine_book.bids[bc->product_id] : engine_book.asks[bc->product_id];
        if (bc->new_quantity.is_zero())
          levels.erase(bc->level.units);
        else
          levels[bc->level.units] = bc->new_quantity.units;
        auto why = engine_book.invalid(bc->product_id);
        ASSERT_EQ(why, "") << "seed " << seed << " after the book change at " << to_string(bc->level) << " sequence "
                           << bc->sequence;
      }
  };
  const std::string key = "organizations/o/apiKeys/resting";
  std::map<std::string, std::int64_t> tick;  // product → quote_increment units
  for (const auto& p : config(seed).market.products)
    tick[p.listing.id] = p.listing.quote_increment.units;
  if (with_user)
    for (auto [ccy, a] : {std::pair{"USD", "100000000"}, {"BTC", "1000"}, {"ETH", "30000"}, {"SOL", "500000"},
                          {"AVAX", "1000000"}, {"LINK", "1000000"}, {"DOGE", "100000000"}})
      sim.engine().deposit(key, ccy, *parse_fixed<amount_tag>(a));
  std::mt19937_64 rng(seed);
  int step = 0;
  for (ts_ns t = t0 + 50 * ns_per_ms; t <= t0 + 10 * minute; t += 50 * ns_per_ms, ++step) {
    if (with_user && step % 5 == 0) {  // a resting order every 250 ms, at the touch or 1-3 ticks behind
      auto it = std::next(tick.begin(), static_cast<long>(rng() % tick.size()));
      const std::string& id = it->first;
      const bool buy = rng() % 2 == 0;
      const auto behind = static_cast<std::int64_t>(rng() % 4) * it->second;
      const std::int64_t px = buy ? client.bids[id].rbegin()->first - behind : client.asks[id].begin()->first + behind;
      const std::int64_t base_inc = [&] {
        for (const auto& p : config(seed).market.products)
          if (p.listing.id == id)
            return p.listing.base_increment.units;
        return std::int64_t{1};
      }();
      const std::int64_t sz = std::max<std::int64_t>(base_inc, 500'000'000'000'000'000LL / px / base_inc * base_inc);  // ≈ $50
      http_reply r;
      const std::string body = R"({"client_order_id":"r)" + std::to_string(step) + R"(","product_id":")" + id
                               + R"(","side":")" + (buy ? "BUY" : "SELL")
                               + R"(","order_configuration":{"limit_limit_gtc":{"base_size":")" + detail::format_units(sz)
                               + R"(","limit_price":")" + detail::format_units(px) + R"("}}})";
      sim.handle(rest_request{"POST", "/api/v3/brokerage/orders", {}, body, key}, t, r);
      ASSERT_EQ(json::parse(r.body)["success"], true) << body << " -> " << r.body;
    }
    sim.step(t);
    for (const auto& [id, _] : tick)
      n.regimes.insert(sim.market()->regime_of(id));
    check_events(sim.events());
    if (::testing::Test::HasFatalFailure())
      return;
    out.clear();
    ws->on_events(sim.events(), t, out);
    for (const auto& f : out) {
      check(f);
      if (::testing::Test::HasFatalFailure())
        return;
    }
  }
  if (with_user)
    n.user_fills = sim.engine().list_fills({.user = key}, "", 100'000).items.size();
}

} // namespace

// Verifies that a client applying every level2 message holds a book with both sides and best
// bid < best ask after each one, over ten simulated minutes on three seeds that go through
// every regime (calm, trending, crash), and that tickers come only on matches, one per taker
// however many makers it met (cascades batched), quoting the book after the match.
TEST(SimexFidelity, BookValidAfterEveryMessageAndTickersOnlyOnMatchesOverTenMinutes) {
  for (std::uint64_t seed : {1u, 7u, 2026u}) {
    run_counts n;
    run_market(seed, false, n);
    if (HasFatalFailure())
      return;
    EXPECT_GT(n.l2_messages, 10'000u) << "seed " << seed;
    EXPECT_GT(n.tickers, 1'000u) << "seed " << seed;
    EXPECT_EQ(n.tickers, n.trade_messages) << "seed " << seed;  // one ticker per taker
    EXPECT_GT(n.cascades, 10u) << "seed " << seed;  // takers that met several makers
    EXPECT_EQ(n.regimes, (std::set<regime>{regime::calm, regime::trending, regime::crash})) << "seed " << seed;
  }
}

// Verifies the same with a user's limit orders resting at and behind the touch on all six
// products: the ladder moving through them fills them and the book stays valid throughout.
TEST(SimexFidelity, BookStaysValidWhenTheLadderRunsIntoUsersRestingOrders) {
  for (std::uint64_t seed : {3u, 11u}) {
    run_counts n;
    run_market(seed, true, n);
    if (HasFatalFailure())
      return;
    EXPECT_GT(n.l2_messages, 10'000u) << "seed " << seed;
    EXPECT_LE(n.tickers, n.trade_messages) << "seed " << seed;
    EXPECT_GT(n.user_fills, 500u) << "seed " << seed << ": fills of the user's resting orders";
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

// Verifies, on 1,600 random orders against the moving market (more than 1,000 of them
// filled), that every order's totals are its fills': filled_value = Σ price × size exactly,
// average_filled_price = filled_value / filled_size, total_fees = Σ commission,
// total_value_after_fees = filled_value + total_fees for a buy and − for a sell; that a filled
// order is "100" complete (quote-sized market buys included), that user_id on the order and
// its fills is the placing key's name, and that order_configuration comes back as sent.
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
    for (auto [ccy, a] : {std::pair{"USD", "100000000"}, {"BTC", "1000"}, {"ETH", "30000"}, {"SOL", "500000"}})
      sim.engine().deposit(k, ccy, *parse_fixed<amount_tag>(a));
  std::vector<std::pair<std::string, std::string>> orders;  // (key, order_id)
  ts_ns now = t0;
  const char* products[] = {"BTC-USD", "ETH-USD", "SOL-USD"};
  std::vector<json> sent;  // order_configuration as sent, per order
  for (int i = 0; i < 1600; ++i) {
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
    // One order in four is large enough to meet several levels (fills at several prices).
    const std::uint64_t scale = rng() % 4 == 0 ? 40 : 1;
    switch (rng() % 3) {
      case 0:  // market by base
        std::snprintf(buf, sizeof buf, "%.8f", static_cast<double>(scale * (100 + rng() % 2000)) / mid);
        cfg = std::string(R"({"market_market_ioc":{"base_size":")") + buf + "\"}}";
        break;
      case 1:  // market by quote
        // Amounts in the client's own format ("50", "50.00", "50.5000"): echoed as sent.
        cfg = R"({"market_market_ioc":{"quote_size":")" + std::to_string(scale * (50 + rng() % 3000))
              + (rng() % 3 == 0 ? "" : rng() % 2 == 0 ? ".00" : ".5000") + "\"}}";
        break;
      default:  // a limit near the touch: some fill at once, some rest and fill later
        std::snprintf(buf, sizeof buf, "%.2f", mid * (1.0 + (buy ? 1 : -1) * (static_cast<double>(rng() % 40) - 20.0) * 1e-5));
        char sz[32];
        std::snprintf(sz, sizeof sz, "%.8f", static_cast<double>(scale * (100 + rng() % 2000)) / mid);
        cfg = std::string(R"({"limit_limit_gtc":{"base_size":")") + sz + R"(","limit_price":")" + buf + "\"}}";
    }
    auto r = call("POST", "/api/v3/brokerage/orders",
                  R"({"client_order_id":"c)" + std::to_string(i) + R"(","product_id":")" + product
                    + R"(","side":")" + (buy ? "BUY" : "SELL") + R"(","order_configuration":)" + cfg + "}",
                  key, now);
    ASSERT_EQ(r["success"], true) << r.dump();
    EXPECT_EQ(r["order_id"], r["success_response"]["order_id"]);
    EXPECT_EQ(r["failure_reason"], "UNKNOWN_FAILURE_REASON");
    ASSERT_EQ(r["order_configuration"], json::parse(cfg)) << r.dump();
    ASSERT_EQ(r["order_configuration"].dump(), json::parse(cfg).dump());
    sent.push_back(json::parse(cfg));
    orders.emplace_back(key, r["order_id"]);
  }
  for (int i = 0; i < 600; ++i)  // two more minutes: resting orders fill as the market moves
    sim.step(now += 200 * ns_per_ms);
  std::size_t filled = 0, multi_fill = 0, quote_buys_filled = 0, sells = 0;
  for (std::size_t k = 0; k < orders.size(); ++k) {
    const auto& [key, id] = orders[k];
    auto o = call("GET", "/api/v3/brokerage/orders/historical/" + id, "", key, now)["order"];
    ASSERT_EQ(o["user_id"], key) << o.dump();
    ASSERT_EQ(o["order_configuration"], sent[k]) << o.dump();
    auto fills = call("GET", "/api/v3/brokerage/orders/historical/fills", "", key, now,
                      {{"order_ids", id}, {"limit", "1000"}})["fills"];
    __int128 value = 0, quote_value = 0;
    std::int64_t size = 0, fees = 0;
    bool in_quote = false;
    for (const auto& f : fills) {
      ASSERT_EQ(f["user_id"], key) << f.dump();
      fees += units(f["commission"]);
      if (f.value("size_in_quote", false)) {
        // As Coinbase reports a quote-sized order's fills: "size" is price × base, in quote.
        in_quote = true;
        quote_value += static_cast<__int128>(units(f["size"])) * 100'000'000;
        continue;
      }
      value += static_cast<__int128>(units(f["price"])) * units(f["size"]);
      size += units(f["size"]);
    }
    if (in_quote) {
      ASSERT_EQ(o["size_in_quote"], true) << o.dump();
      const __int128 diff = quote_value - exact_units(o["filled_value"]);
      const __int128 tol = static_cast<__int128>(fills.size()) * 100'000'000;  // 1e-8 per fill
      ASSERT_TRUE(diff <= tol && diff >= -tol) << o.dump();
      ASSERT_EQ(units(o["total_fees"]), fees) << o.dump();
      ++filled;
      multi_fill += fills.size() > 1;
      if (o["status"] == "FILLED")
        quote_buys_filled += o["side"] == "BUY";
      continue;
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
    sells += o["side"] == "SELL";
    if (o["status"] == "FILLED") {
      EXPECT_EQ(o["completion_percentage"], "100") << o.dump();
      quote_buys_filled += o["side"] == "BUY" && o["size_in_quote"] == true;
    }
  }
  EXPECT_GE(filled, 1'000u);
  EXPECT_GT(multi_fill, 200u);  // seeded: orders filled in several parts, where rounding would show
  EXPECT_GT(quote_buys_filled, 100u);
  EXPECT_GT(sells, 500u);
  std::printf("orders %zu, filled %zu, several fills %zu, filled quote-sized buys %zu, sells %zu\n", orders.size(),
              filled, multi_fill, quote_buys_filled, sells);
}
