// The kill -9 loop (issue 16 "Done when"): traderd in LIVE against a real simex process is
// killed at random points while intents stream in — before the write-ahead, between the
// write-ahead and the send (TRADER_TEST_ABORT_AT=after_write_ahead every third round), between
// the send and the reply, between the reply and its persistence — and restarted. At the end a
// last traderd resolves what was left and stops; then simex's admin port (POST /account) is
// asked for every order and fill of the account and compared with the state store, read
// offline: each intent is at most one order on simex (exactly one unless it failed unsent),
// no order on simex lacks its intent, and every fill on simex is in the store once.
// 10 rounds in the default suite (label orders), 100 in label long. Also: orders and fills
// made on simex while traderd was down are reconciled at the cold start.

#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "runtime/config/loader.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/net/https_client.hpp"
#include "runtime/net/test_pki.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/live_simex_fixture.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <thread>

using namespace std::chrono_literals;
using namespace trader;
using nlohmann::json;

namespace {

class TraderdKillLoopTest : public test::live_simex_fixture {
protected:
  TraderdKillLoopTest() : live_simex_fixture("organizations/traderd-kill/apiKeys/k1") {}

  /// Starts a private copy of traderd (made at the first start): a build running beside the
  /// test may relink the binary mid-loop, and a round must not exec a half-written file.
  std::unique_ptr<test::child_process> start_live(std::vector<std::string> extra_env = {}) {
    auto env = live_env(extra_env);
    auto bin = dir / "traderd-under-test";
    if (!std::filesystem::exists(bin))
      std::filesystem::copy_file(TRADERD_PATH, bin);
    std::vector<std::string> argv{bin, "--config", cfg, "--confirm-live"};
    return std::make_unique<test::child_process>(argv, dir / ("traderd" + std::to_string(++starts_)), env);
  }

  bool open_gate() {
    call("resume", json{{"reason", "startup"}, {"force", true}});
    return test::eventually([&] { return call("gate").value("open", false); }, 60s);
  }

  /// simex's admin port: every order and fill of the daemon's account.
  json account() {
    net::https_client c(simex->admin());
    auto r = c.request(net::http_request{"POST", "/account", {}, json{{"user", key_name}}.dump()});
    EXPECT_TRUE(r.ok());
    return r.ok() ? json::parse(r->body, nullptr, false) : json{};
  }

  json intent(bool market) {
    json a{{"product", "BTC-USD"}, {"side", "buy"}, {"type", market ? "market" : "limit"}, {"size", "0.001"}};
    if (!market)
      a["limit_px"] = "1000";  // rests far below the market
    return a;
  }

  /// Streams intents into p until it dies or `stop` is set.
  void stream_intents(std::atomic<bool>& stop, std::atomic<int>& sent, unsigned seed) {
    std::mt19937 rng{seed};
    while (!stop.load()) {
      control::control_client c{socket()};
      auto r = c.call("debug.intent", intent(rng() % 2 == 0), 5s);
      if (!r.ok())
        return;  // the daemon is gone
      ++sent;
    }
  }

  /// The last daemon: starts, resolves every intent left in created/unknown, books the fills
  /// made while it was down, agrees with simex, and stops (SIGTERM).
  void settle() {
    auto p = start_live();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    ASSERT_TRUE(open_gate()) << call("gate").dump() << "\n" << p->err();
    // Intents written ahead and never sent are sent now (under their ids): simex's fills are
    // counted again on every look, after nothing is left to resolve.
    EXPECT_TRUE(test::eventually(
      [&] {
        auto open = call("orders", json{{"open", true}});
        for (auto& o : open.value("orders", json::array()))
          if (o.value("state", "") == "created" || o.value("state", "") == "unknown")
            return false;
        auto simex_fills = account()["fills"].size();
        auto pnl = call("pnl");
        return pnl.is_object() && pnl["total"].value("fills", 0) == static_cast<int>(simex_fills);
      },
      90s))
      << call("orders", json{{"open", true}}).dump() << "\n" << call("pnl").dump();
    p->signal(SIGTERM);
    EXPECT_EQ(p->wait(60s), 0) << p->err();
  }

  /// simex (admin port) against the store (read offline): one order per intent, no order
  /// without its intent, every fill once.
  void check_exactly_once(int min_orders, std::set<std::string> foreign = {}) {
    auto acct = account();
    ASSERT_TRUE(acct.is_object());
    auto store = persistence::open_store(dir / "state");
    ASSERT_TRUE(store) << store.error().describe();
    auto orders = (*store)->list<persistence::order_record>();
    auto fills = (*store)->list<persistence::fill_record>();
    ASSERT_TRUE(orders && fills);

    std::map<std::string, int> on_simex;  // client order id → orders on simex
    for (auto& o : acct["orders"])
      ++on_simex[o.value("client_order_id", "")];
    std::map<std::string, const persistence::order_record*> stored;
    for (auto& o : *orders)
      stored[o.id.value] = &o;
    for (auto& [cid, n] : on_simex) {
      EXPECT_EQ(n, 1) << "client order id " << cid << " is " << n << " orders on simex";
      if (!foreign.count(cid)) {
        EXPECT_TRUE(stored.count(cid)) << "order " << cid << " on simex has no intent in the store";
      }
    }
    int placed = 0;
    for (auto& [cid, o] : stored) {
      EXPECT_NE(o->status, persistence::order_status::created) << cid << " still unresolved";
      EXPECT_NE(o->status, persistence::order_status::unknown) << cid << " still unresolved";
      if (o->status == persistence::order_status::failed)
        EXPECT_EQ(on_simex.count(cid), 0u) << cid << " failed in the store but placed on simex";
      else
        EXPECT_EQ(on_simex.count(cid), 1u) << cid << " (" << persistence::to_string(o->status) << ") not on simex";
      placed += on_simex.count(cid) ? 1 : 0;
    }
    EXPECT_GE(placed, min_orders);

    std::set<std::string> simex_trades, stored_trades;
    for (auto& f : acct["fills"])
      EXPECT_TRUE(simex_trades.insert(f.value("trade_id", "")).second);
    for (auto& f : *fills)
      EXPECT_TRUE(stored_trades.insert(f.trade.value).second);
    EXPECT_EQ(simex_trades, stored_trades) << "fills on simex " << simex_trades.size() << ", in the store "
                                           << stored_trades.size();
    std::printf("kill loop: %zu intents in the store, %d placed, %zu on simex, %zu fills\n", stored.size(), placed,
                on_simex.size(), stored_trades.size());
  }

  /// `rounds` starts, each killed at a random point while intents stream in (every third one
  /// aborts itself between a write-ahead and its send).
  void kill_loop(int rounds, unsigned seed) {
    std::mt19937 rng{seed};
    int aborted = 0, killed = 0;
    for (int i = 0; i < rounds; ++i) {
      bool at_write_ahead = i % 3 == 2;
      auto p = start_live(at_write_ahead ? std::vector<std::string>{"TRADER_TEST_ABORT_AT=after_write_ahead"}
                                         : std::vector<std::string>{});
      if (!wait_ready(*p)) {
        auto code = p->wait(5s);
        FAIL() << "round " << i << ": traderd did not start, exit " << (code ? std::to_string(*code) : "?")
               << "\nstderr: " << p->err() << "\nstdout: " << p->out();
      }
      ASSERT_TRUE(open_gate()) << "round " << i << ": " << call("gate").dump() << "\n" << p->err();
      std::atomic<bool> stop{false};
      std::atomic<int> sent{0};
      // The seed is drawn here: rng is the main thread's (TSan found it shared, 2026-12-08).
      std::thread feeder([&, seed = rng()] { stream_intents(stop, sent, seed); });
      if (at_write_ahead) {
        auto code = p->wait(30s);  // the first intent aborts it after its write-ahead
        EXPECT_TRUE(code.has_value()) << "round " << i;
        ++aborted;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 400));
        p->signal(SIGKILL);
        p->wait(30s);
        ++killed;
      }
      stop = true;
      feeder.join();
    }
    std::printf("kill loop: %d rounds (%d killed at random, %d aborted after a write-ahead)\n", rounds, killed,
                aborted);
    settle();
    check_exactly_once(1);
  }

};

} // namespace

TEST_F(TraderdKillLoopTest, TenRandomKillsNeverDuplicateAnOrderOrLoseAFill) { kill_loop(10, 16); }

// Label long (tests/system/traderd/CMakeLists.txt): the same with 100 rounds.
TEST_F(TraderdKillLoopTest, AHundredRandomKillsNeverDuplicateAnOrderOrLoseAFill) { kill_loop(100, 1616); }

// Cold start: while traderd is down a resting order of its own is cancelled on simex and an
// order placed by hand (another client id) fills. At start the cancel is resolved from simex,
// the fill of the foreign order is booked (alerted, never dropped), and every fill on simex is
// in the store once.
TEST_F(TraderdKillLoopTest, ColdStartReconcilesOrdersAndFillsMadeWhileTheDaemonWasDown) {
  auto p = start_live();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(open_gate()) << call("gate").dump();
  std::string resting_cid;
  for (int i = 0; i < 3; ++i) {
    auto r = call_full("debug.intent", intent(i == 0));
    ASSERT_TRUE(r.ok() && r.resp.body.ok) << r.message << r.resp.body.err.message;
    if (i == 1)
      resting_cid = r.resp.body.result.value("client_order_id", "");
  }
  p->signal(SIGKILL);
  p->wait(30s);

  auto client = rest();
  auto open = client.open_orders();
  ASSERT_TRUE(open.ok());
  for (auto& o : *open)
    if (o.id.value == resting_cid) {
      ASSERT_TRUE(client.cancel({o.exchange_id}).ok());
    }
  create_order by_hand;
  by_hand.id = client_order_id{"by-hand-1"};
  by_hand.product = product_id{"BTC-USD"};
  by_hand.type = order_type::market;
  by_hand.tif = time_in_force::ioc;
  by_hand.base_size = *parse_fixed<size_tag>("0.001");
  auto ack = client.create(by_hand);
  ASSERT_TRUE(ack.ok() && ack->accepted);

  settle();
  check_exactly_once(3, {"by-hand-1"});
  auto store = persistence::open_store(dir / "state");
  ASSERT_TRUE(store);
  auto cancelled = (*store)->get<persistence::order_record>(resting_cid);
  ASSERT_TRUE(cancelled && *cancelled);
  EXPECT_EQ((**cancelled).status, persistence::order_status::canceled);
}

// Graceful stop (execution.cancel_on_shutdown, default true): SIGTERM cancels the resting
// order on simex before traderd exits, and the store says canceled. With the key false the
// order stays on simex and open in the store.
TEST_F(TraderdKillLoopTest, SigtermCancelsOpenOrdersOnSimexWhenThePolicySaysSo) {
  for (bool cancel : {true, false}) {
    if (!cancel)
      write_overlay("policy.toml", "[execution]\ncancel_on_shutdown = false\n");
    if (!cancel) {  // the overlay changes the trading hash: PAPER time for it too
      auto loaded = config::load_config_dir(cfg);
      ASSERT_TRUE(loaded.ok());
      auto store = persistence::open_store(dir / "state");
      ASSERT_TRUE(store);
      ASSERT_TRUE((*store)->add_config_runtime(loaded.trading_hash, false, 25 * 3600, 2));
    }
    auto p = start_live();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    ASSERT_TRUE(open_gate()) << call("gate").dump();
    auto r = call_full("debug.intent", intent(false));
    ASSERT_TRUE(r.ok() && r.resp.body.ok) << r.message << r.resp.body.err.message;
    auto cid = r.resp.body.result.value("client_order_id", "");
    p->signal(SIGTERM);
    EXPECT_EQ(p->wait(60s), 0) << p->err();
    std::string status;
    auto acct = account();
    for (auto& o : acct["orders"])
      if (o.value("client_order_id", "") == cid)
        status = o.value("status", "");
    EXPECT_EQ(status, cancel ? "CANCELLED" : "OPEN") << "cancel_on_shutdown=" << cancel;
    auto store = persistence::open_store(dir / "state");
    ASSERT_TRUE(store);
    auto rec = (*store)->get<persistence::order_record>(cid);
    ASSERT_TRUE(rec && *rec);
    EXPECT_EQ((**rec).status, cancel ? persistence::order_status::canceled : persistence::order_status::open);
  }
}

// traderctl flatten against simex: a bought position is sold with a reduce-only market order
// while the gate is closed for new risk by the operator (halt), and the position is flat.
TEST_F(TraderdKillLoopTest, FlattenSellsThePositionOnSimexWhileTheGateIsHalted) {
  auto p = start_live();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(open_gate()) << call("gate").dump();
  auto r = call_full("debug.intent", intent(true));
  ASSERT_TRUE(r.ok() && r.resp.body.ok) << r.message << r.resp.body.err.message;
  ASSERT_TRUE(test::eventually([&] { return !call("positions").value("positions", json::array()).empty(); }, 30s));
  call("halt", json{{"reason", "test"}});
  ASSERT_TRUE(test::eventually([&] { return !call("gate").value("open", true); }, 10s));
  auto entry = call_full("debug.intent", intent(true));  // new risk is refused now
  EXPECT_FALSE(entry.ok() && entry.resp.body.ok);
  auto f = call_full("flatten", json{{"product", "BTC-USD"}});
  ASSERT_TRUE(f.ok() && f.resp.body.ok) << f.message << f.resp.body.err.message;
  EXPECT_EQ(f.resp.body.result.value("positions", 0), 1) << f.resp.body.result.dump();
  json pos;
  EXPECT_TRUE(test::eventually(
    [&] {
      pos = call("positions");
      for (auto& x : pos.value("positions", json::array()))
        if (x.value("qty", "") != "0")
          return false;
      return true;
    },
    30s))
    << pos.dump();
  int sells = 0;
  auto acct = account();
  for (auto& o : acct["orders"])
    sells += o.value("side", "") == "SELL" ? 1 : 0;
  EXPECT_EQ(sells, 1) << acct.dump();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}

// Shadow mode against simex (execution.shadow_mode): a market buy goes to simex and to the
// local simulator fed with simex's quotes; traderctl shadow compares the two fills.
TEST_F(TraderdKillLoopTest, ShadowModeComparesSimexsFillWithTheLocalSimulators) {
  write_overlay("policy.toml", "[execution]\nshadow_mode = true\n");
  auto loaded = config::load_config_dir(cfg);
  ASSERT_TRUE(loaded.ok());
  {
    auto store = persistence::open_store(dir / "state");
    ASSERT_TRUE(store);
    ASSERT_TRUE((*store)->add_config_runtime(loaded.trading_hash, false, 25 * 3600, 2));
  }
  auto p = start_live();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(open_gate()) << call("gate").dump();
  json sh;
  // The simulator fills once it has a quote: buy until one order is compared.
  EXPECT_TRUE(test::eventually(
    [&] {
      call_full("debug.intent", intent(true));
      std::this_thread::sleep_for(500ms);
      sh = call("shadow");
      return sh.value("compared", 0) >= 1;
    },
    40s))
    << sh.dump() << "\n" << p->err();
  EXPECT_EQ(sh.value("enabled", false), true);
  ASSERT_FALSE(sh["recent"].empty());
  EXPECT_EQ(sh["recent"].back().value("side", ""), "buy");
  // Only the venue's orders are ours: simex holds exactly the orders the store holds.
  auto acct = account();
  EXPECT_EQ(acct["orders"].size(), static_cast<std::size_t>(sh.value("orders", 0)));
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}
