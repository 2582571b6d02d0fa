#pragma once
// traderd in LIVE against a simex of its own, set up so that a WebSocket frame causes a
// protective exit on demand (docs/orders.md "Tick to order"); shared by
// traderd_tick_to_order_test and bench/orders/bench_tick_to_order.
//
// A round: the harness buys 0.1 SOL through debug.intent (no frame: records nothing); risk
// arms the exit with a stop 1 bp under the entry (stop_loss_pct 0.0001, about one price
// tick), so the next ticker crosses it. The harness makes that ticker: a second simex user
// (its own key) sends a small market order, one taker → one `ticker` frame. traderd reads
// it, risk fires the stop-loss exit, order_lifecycle writes it ahead and sends it through
// the rate limiter to orders, which records tick_to_order when the POST is on the socket.
// The exit fills; the position is flat.
// The harness reads the trader's fills from simex (the trader's own key) rather than polling
// traderd's `positions`: every control call is an operator record in the fsynced audit log;
// one `positions` read a round (after the exit filled) confirms traderd's ledger is flat.
// Loosened: traderd's private REST budget (1000/s, 1,000,000/h; Coinbase: 30/s, 10,000/h)
// and the loss limits (a round trip pays the spread and two taker fees).

#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "runtime/clock.hpp"
#include "runtime/config/loader.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/net/test_pki.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

namespace trader::test {

class tick_to_order_fixture : public traderd_fixture {
protected:
  static constexpr double lot = 0.1;  ///< SOL bought per round.

  void SetUp() override {
    traderd_fixture::SetUp();
    const std::string trader_key = "organizations/bench/apiKeys/trader";
    const std::string driver_key = "organizations/bench/apiKeys/driver";
    trader_pem = net::testing::generate_ec_key_pem();
    auto dpem = net::testing::generate_ec_key_pem();
    auto tk = net::api_key::from_pem(trader_key, trader_pem);
    auto dk = net::api_key::from_pem(driver_key, dpem);
    ASSERT_TRUE(tk && dk);
    trader_key_name = trader_key;
    write_file(dir / "trader.pub.pem", tk->public_key_pem());
    write_file(dir / "driver.pub.pem", dk->public_key_pem());
    simex = std::make_unique<trader::testing::simex_process>(std::vector<std::string>{
      "--api-key", trader_key + "=" + (dir / "trader.pub.pem"), "--api-key", driver_key + "=" + (dir / "driver.pub.pem"),
      "--log-file", "-"});
    write_overlay("policy.toml",
                  "[risk]\nstop_loss_pct = 0.0001\ntake_profit_pct = 0.0002\ndaily_stop_pct = 50.0\n"
                  "weekly_stop_pct = 80.0\nmax_drawdown_pct = 95.0\n[loop]\ninterval_s = 3600.0\n");
    write_app("mode = \"LIVE\"\nread_only = false\n",
              "[metrics]\nenabled = false\n[live]\nmin_paper_hours = 24.0\n" + exchange_table(simex->rest(), simex->ws())
                + "[exchange.limits]\nprivate_rest_per_s = 1000.0\nprivate_rest_per_hour = 1000000\n");
    auto loaded = config::load_config_dir(cfg);
    std::string why;
    for (auto& i : loaded.issues)
      why += i.key + ": " + i.message + " [" + i.check + "]\n";
    ASSERT_TRUE(loaded.ok()) << why;
    auto store = persistence::open_store(dir / "state");
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE((*store)->add_config_runtime(loaded.trading_hash, false, 25 * 3600, 1));  // 25 h of PAPER
    driver = client(std::make_shared<const net::api_key>(*dk));
    watcher = client(std::make_shared<const net::api_key>(*tk));
  }

  /// Starts traderd LIVE, opens the gate and sells the account's opening SOL (its exit
  /// counts as a sample): after this, traderd's ledger is flat.
  ::testing::AssertionResult start_trading() {
    daemon = start({"--confirm-live"}, {"COINBASE_API_KEY_NAME=" + trader_key_name,
                                        "COINBASE_API_PRIVATE_KEY=" + trader_pem, "TRADER_TEST_HOOKS=1"});
    if (!wait_ready(*daemon))
      return ::testing::AssertionFailure() << "traderd not ready: " << daemon->err();
    call("resume", nlohmann::json{{"reason", "startup"}, {"force", true}});
    if (!eventually([&] { return call("gate").value("open", false); }, 60s))
      return ::testing::AssertionFailure() << "the gate did not open: " << call("gate").dump();
    if (!eventually(
          [&] {
            drive();
            return held_qty() == 0;
          },
          60s))
      return ::testing::AssertionFailure() << "the opening SOL was not sold: " << call("positions").dump();
    return ::testing::AssertionSuccess();
  }

  /// Buys a lot through debug.intent and waits until it filled on simex; `since` is when
  /// the round started (wall clock), for the trader's fills read from simex.
  ::testing::AssertionResult buy(ts_ns& since) {
    since = system_time_source::instance().wall_now();
    // An entry waits while the gate is closed for new positions (a reconcile cycle that saw
    // a fill before its booking holds reconcile_pending for a moment); exits are not held.
    control::call_result r;
    for (int i = 0; i < 600; ++i) {
      r = call_full("debug.intent", nlohmann::json{{"product", "SOL-USD"}, {"side", "buy"}, {"type", "market"},
                                                    {"size", "0.1"}});
      if (r.ok() || r.resp.body.err.message.find("GATE_CLOSED") == std::string::npos)
        break;
      std::this_thread::sleep_for(50ms);
    }
    if (!r.ok())
      return ::testing::AssertionFailure() << "debug.intent: " << r.message << r.resp.body.err.message;
    if (!poll_until([&] { return traded(since).bought > lot / 2; }, 20s, nullptr))
      return ::testing::AssertionFailure() << "the buy did not fill on simex: " << call("positions").dump()
                                           << "\ntraderd's log ends:\n" << log_tail();
    return ::testing::AssertionSuccess();
  }

  /// A driver ticker every 5 ms (the first that reaches risk after the position is armed
  /// crosses the stop) until the exit filled on simex; then until traderd's ledger is flat.
  /// The exit may already have come on a ticker of the market's own.
  ::testing::AssertionResult exit_by_ticker(ts_ns since) {
    auto last_drive = std::chrono::steady_clock::now() - 1s;
    bool refused = false;
    auto sold = poll_until([&] { return traded(since).sold > lot / 2; }, 20s, [&] {
      if (std::chrono::steady_clock::now() - last_drive < 5ms)
        return;
      refused = refused || !drive();
      last_drive = std::chrono::steady_clock::now();
    });
    if (refused)
      return ::testing::AssertionFailure() << "a driver order was refused";
    if (!sold)
      return ::testing::AssertionFailure() << "the exit did not come: " << call("positions").dump()
                                           << call("risk").dump().substr(0, 2000) << "\ntraderd's log ends:\n"
                                           << log_tail();
    if (!eventually([&] { return held_qty() == 0; }, 20s))
      return ::testing::AssertionFailure() << "traderd's ledger did not go flat: " << call("positions").dump()
                                           << "\ntraderd's log ends:\n" << log_tail();
    return ::testing::AssertionSuccess();
  }

  /// The last 4,000 characters of traderd's stderr (its log).
  std::string log_tail() const {
    auto e = daemon ? daemon->err() : std::string{};
    return e.size() > 4000 ? e.substr(e.size() - 4000) : e;
  }

  /// One key of traderd's latency report (`latency`), or an empty object.
  nlohmann::json latency(const std::string& key) {
    auto ep = call("latency").value("endpoints", nlohmann::json::object());
    return ep.contains(key) ? ep[key] : nlohmann::json::object();
  }
  std::uint64_t lifetime_count(const std::string& key) {
    return latency(key).value("lifetime_count", std::uint64_t{0});
  }

  /// SOL held per traderd's ledger; -1 when the ledger did not answer.
  double held_qty() {
    auto r = call_full("positions");
    if (!r.ok())
      return -1;
    for (auto& p : r.resp.body.result.value("positions", nlohmann::json::array()))
      if (p.value("product", "") == "SOL-USD")
        return std::stod(p.value("qty", std::string{"0"}));
    return 0;
  }
  /// SOL the trader bought and sold on simex since `since` (its fills, the trader's key).
  struct sol_traded {
    double bought = 0, sold = 0;
  };
  sol_traded traded(ts_ns since) {
    sol_traded t;
    auto r = watcher->fills(since, {}, product_id{"SOL-USD"});
    if (!r.ok())
      return t;  // not answered: nothing seen yet, the caller polls again
    for (auto& f : *r)
      if (f.ts_event >= since)
        (f.dir == side::buy ? t.bought : t.sold) += f.qty.to_double();
    return t;
  }
  /// One market order of the driver (another simex user): a taker, so one ticker frame.
  bool drive() {
    create_order o;
    o.id = client_order_id{"drv-" + std::to_string(++driver_orders)};
    o.product = product_id{"SOL-USD"};
    o.dir = driver_orders % 2 ? side::buy : side::sell;
    o.type = order_type::market;
    o.tif = time_in_force::ioc;
    o.base_size = *parse_fixed<size_tag>("0.1");
    auto r = driver->create(o);
    return r.ok() && r->accepted;
  }

  std::unique_ptr<child_process> daemon;
  std::unique_ptr<trader::testing::simex_process> simex;
  std::unique_ptr<exchange::coinbase_rest> driver, watcher;
  int driver_orders = 0;

private:
  std::unique_ptr<exchange::coinbase_rest> client(std::shared_ptr<const net::api_key> key) {
    exchange::rest_options ro;
    ro.base_url = simex->rest();
    ro.credentials = std::move(key);
    ro.request_timeout = 2000ms;
    return std::make_unique<exchange::coinbase_rest>(ro);
  }
  /// Polls cond every 2 ms (sleeps) until it holds or timeout; between polls, `between`.
  template <class Cond, class Between>
  static bool poll_until(Cond cond, std::chrono::milliseconds timeout, Between between) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!cond()) {
      if (std::chrono::steady_clock::now() >= deadline)
        return false;
      if constexpr (!std::is_same_v<Between, std::nullptr_t>)
        between();
      std::this_thread::sleep_for(2ms);
    }
    return true;
  }

  std::string trader_pem, trader_key_name;
};

} // namespace trader::test
