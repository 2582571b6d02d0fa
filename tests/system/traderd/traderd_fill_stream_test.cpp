// traderd in LIVE against simex with a messy fill stream (issue 16): simex's messy_fills
// fault (docs/simex.md) answers every fills read reversed, each fill twice, and withholds
// some fills until the fault is removed, so they reach traderd behind newer ones. The store,
// read offline afterwards, must hold exactly simex's fills, positions equal to what simex's
// fills add up to, and the positions and PnL a clean replay of the same fills gives; the
// balance reconcile agrees with simex at the end.

#include "actors/trading/order_lifecycle/ledger.hpp"
#include "runtime/net/https_client.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tests/system/traderd/live_simex_fixture.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <map>
#include <set>
#include <thread>

using namespace std::chrono_literals;
using namespace trader;
using nlohmann::json;

namespace {

class TraderdFillStreamTest : public test::live_simex_fixture {
protected:
  TraderdFillStreamTest() : live_simex_fixture("organizations/traderd-fills/apiKeys/k1") {}

  bool open_gate() {
    call("resume", json{{"reason", "startup"}, {"force", true}});
    return test::eventually([&] { return call("gate").value("open", false); }, 60s);
  }

  auto admin(const char* method, const char* path, const std::string& body = {}) {
    net::https_client c(simex->admin());
    return c.request(net::http_request{method, path, {}, body});
  }

  /// Every order and fill of the daemon's account on simex, oldest first.
  json account() {
    auto r = admin("POST", "/account", json{{"user", key_name}}.dump());
    EXPECT_TRUE(r.ok());
    return r.ok() ? json::parse(r->body, nullptr, false) : json{};
  }

  /// simex's messy_fills withholds a fill whose trade id hashes odd (FNV-1a), as faults.cpp.
  static bool withheld(const std::string& trade) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : trade)
      h = (h ^ c) * 1099511628211ull;
    return (h & 1u) != 0;
  }

  /// Trade ids of the fills traderd has booked (audit "fill"), in booking order.
  std::vector<std::string> booked() const {
    std::vector<std::string> out;
    for (auto& a : audit_lines("fill"))
      out.push_back(a["payload"].value("trade_id", ""));
    return out;
  }

  /// Market orders, base- and quote-sized, buys and sells of BTC and ETH.
  json intent(int i) {
    switch (i % 4) {
      case 0: return {{"product", "BTC-USD"}, {"side", "buy"}, {"type", "market"}, {"size", "0.004"}};
      case 1: return {{"product", "ETH-USD"}, {"side", "buy"}, {"type", "market"}, {"quote_size", "60"}};
      case 2: return {{"product", "BTC-USD"}, {"side", "sell"}, {"type", "market"}, {"size", "0.001"}};
      default: return {{"product", "ETH-USD"}, {"side", "sell"}, {"type", "market"}, {"size", "0.005"}};
    }
  }
};

} // namespace

TEST_F(TraderdFillStreamTest, ADuplicatedOutOfOrderFillStreamGivesTheCleanPosition) {
  auto p = start({"--confirm-live"}, live_env({}));
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(open_gate()) << call("gate").dump();

  // Rounds until a fill that simex withholds is older than one it lets through, and that one
  // is booked first: the withheld fill then reaches traderd out of order. (A withheld fill
  // holds the gate via the balance reconcile, so later intents of a round may be refused.)
  bool out_of_order = false;
  int intents = 0;
  for (int round = 0; round < 5 && !out_of_order; ++round) {
    auto installed = admin("POST", "/faults", R"({"kind":"messy_fills","count":-1})");
    ASSERT_TRUE(installed.ok() && installed->status == 200);
    const std::size_t before = account()["fills"].size();
    for (int i = 0; i < 12; ++i) {
      auto r = call_full("debug.intent", intent(intents++));
      ASSERT_EQ(r.status, control::client_status::ok) << r.message;
      // A sell whose buy's fill simex withheld finds no position yet: refused, never short.
      if (!r.resp.body.ok)
        EXPECT_NE(r.resp.body.err.message.find("SELL_EXCEEDS_POSITION"), std::string::npos)
          << r.resp.body.err.message;
    }
    auto fills = account()["fills"];
    std::string late, early;  // a withheld fill and a later one let through
    for (std::size_t i = before; i < fills.size() && early.empty(); ++i) {
      auto id = fills[i].value("trade_id", "");
      if (withheld(id) && late.empty())
        late = id;
      else if (!withheld(id) && !late.empty())
        early = id;
    }
    if (!early.empty()) {
      // The later fill is booked while the withheld one is still held back.
      ASSERT_TRUE(test::eventually(
        [&] {
          auto b = booked();
          return std::find(b.begin(), b.end(), early) != b.end();
        },
        60s))
        << early << "\n" << p->err();
      auto b = booked();
      out_of_order = std::find(b.begin(), b.end(), late) == b.end();
    }
    auto removed = admin("DELETE", "/faults");
    ASSERT_TRUE(removed.ok() && removed->status == 200);
    // Everything simex has is booked and the reconcile agrees again (balances included).
    const std::size_t total = account()["fills"].size();
    ASSERT_TRUE(test::eventually(
      [&] {
        std::set<std::string> b;
        for (auto& id : booked())
          b.insert(id);
        return b.size() == total && call("gate").value("open", false);
      },
      90s))
      << call("gate").dump() << "\n" << p->err();
  }
  ASSERT_TRUE(out_of_order) << "no withheld fill older than a delivered one in 5 rounds";
  auto stats = admin("GET", "/stats");
  ASSERT_TRUE(stats.ok());
  EXPECT_GT(json::parse(stats->body)["faults"].value("messy_fills", 0), 0) << stats->body;
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0) << p->err();

  auto acct = account();
  auto store = persistence::open_store(dir / "state");
  ASSERT_TRUE(store) << store.error().describe();
  auto fills = (*store)->list<persistence::fill_record>();
  auto positions = (*store)->list<persistence::position_record>();
  auto total = (*store)->get_pnl("total");
  ASSERT_TRUE(fills && positions && total && *total);

  // The store holds exactly simex's fills, each once, in base sizes.
  std::map<std::string, std::string> product_of_order;
  for (auto& o : acct["orders"])
    product_of_order[o.value("order_id", "")] = o.value("product_id", "");
  std::map<std::string, size> on_simex;  // product → Σ signed base size
  std::set<std::string> simex_trades, stored_trades;
  for (auto& f : acct["fills"]) {
    simex_trades.insert(f.value("trade_id", ""));
    auto qty = *parse_fixed<size_tag>(f.value("size", ""));
    on_simex[product_of_order[f.value("order_id", "")]] += f.value("side", "") == "BUY" ? qty : -qty;
  }
  for (auto& f : *fills)
    EXPECT_TRUE(stored_trades.insert(f.trade.value).second) << f.trade.value << " stored twice";
  EXPECT_EQ(simex_trades, stored_trades);

  // The clean stream: the same fills booked once each, in exchange-time order.
  auto sorted = *fills;
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) {
    return a.ts_event != b.ts_event ? a.ts_event < b.ts_event : a.trade.value < b.trade.value;
  });
  order_lifecycle::ledger clean;
  for (auto& f : sorted) {
    order_lifecycle::ledger_fill lf;
    lf.trade = f.trade;
    lf.product = f.product;
    lf.dir = f.side == persistence::order_side::buy ? side::buy : side::sell;
    lf.px = f.px;
    lf.qty = f.qty;
    lf.fee = f.fee;
    lf.ts_event = f.ts_event;
    ASSERT_EQ(clean.apply(lf).outcome, order_lifecycle::apply_outcome::applied) << f.trade.value;
  }
  ASSERT_EQ(positions->size(), on_simex.size());
  for (auto& pos : *positions) {
    const auto* c = clean.find(pos.product);
    ASSERT_NE(c, nullptr) << pos.product.value;
    EXPECT_EQ(pos.qty, on_simex[pos.product.value]) << pos.product.value << ": simex's fills add up differently";
    EXPECT_EQ(pos.qty, c->qty) << pos.product.value;
    EXPECT_EQ(pos.realized_pnl, c->realized) << pos.product.value;
    EXPECT_EQ(pos.fees, c->fees) << pos.product.value;
    EXPECT_EQ(pos.avg_entry, c->avg_entry()) << pos.product.value;
  }
  EXPECT_EQ((*total)->fills, clean.total().fills);
  EXPECT_EQ((*total)->fees, clean.total().fees);
  std::printf("messy fill stream: %d intents, %zu fills, %zu products\n", intents, fills->size(), positions->size());
}
