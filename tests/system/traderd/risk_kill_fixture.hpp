#pragma once
// traderd in LIVE against a simex process with resting orders, a JSON alert sink on a local
// receiver and the kill-switch file in the temp directory: the kill switch engaged by
// SIGUSR1, by `traderctl kill` (the bench: the control socket's `kill` it sends) or by the
// file, and timed from the trigger to (1) the gate holding kill_switch, (2) simex showing
// no open order, (3) the kill_switch alert received by the sink. Used by traderd_risk_kill_test
// (label risk) and by bench/risk/bench_kill_switch (the figures in bench/results).

#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "runtime/config/loader.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/net/test_pki.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"
#include "tests/unit/infra/alerting/webhook_receiver.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace risk_kill {

using namespace std::chrono_literals;
using namespace trader;
using nlohmann::json;

/// How the kill switch is engaged.
enum class trigger { signal, command, file };
inline const char* name(trigger t) { return t == trigger::signal ? "SIGUSR1" : t == trigger::command ? "kill" : "file"; }

/// Milliseconds from the trigger; nullopt when it did not happen within the wait.
struct kill_figures {
  std::optional<double> detect_ms;   ///< the gate holds kill_switch
  std::optional<double> cancels_ms;  ///< no open order left on simex
  std::optional<double> alert_ms;    ///< the kill_switch alert reached the sink
};

class kill_fixture : public test::traderd_fixture {
protected:
  const std::string key_name = "organizations/traderd-kill/apiKeys/k1";
  std::string ks_file = dir / "ks/KILL_SWITCH";

  void SetUp() override {
    traderd_fixture::SetUp();
    std::filesystem::create_directories(dir / "ks");
    private_pem = net::testing::generate_ec_key_pem();
    auto key = net::api_key::from_pem(key_name, private_pem);
    ASSERT_TRUE(key);
    api_key = std::make_shared<const net::api_key>(*key);
    test::write_file(dir / "key.pub.pem", key->public_key_pem());
    std::vector<std::string> args{"--api-key", key_name + "=" + (dir / "key.pub.pem"), "--log-file", "-"};
    args.insert(args.end(), simex_args.begin(), simex_args.end());
    simex = std::make_unique<trader::testing::simex_process>(args);
    write_app("mode = \"LIVE\"\nread_only = false\n",
              "[metrics]\nenabled = false\n[live]\nmin_paper_hours = 24.0\n[control]\nkill_switch_file = \"" +
                ks_file + "\"\n[alerts]\nsinks = [\"log\", \"json\"]\n[alerts.json]\nurl = \"" + rx.url() +
                "/alerts\"\n" + test::exchange_table(simex->rest(), simex->ws()));
    auto loaded = config::load_config_dir(cfg);
    ASSERT_TRUE(loaded.ok());
    auto store = persistence::open_store(dir / "state");
    ASSERT_TRUE(store) << store.error().describe();
    ASSERT_TRUE((*store)->add_config_runtime(loaded.trading_hash, false, 25 * 3600, 1));  // 25 h of PAPER
  }

  std::unique_ptr<test::child_process> start_live() {
    return start({"--confirm-live"}, {"COINBASE_API_KEY_NAME=" + key_name, "COINBASE_API_PRIVATE_KEY=" + private_pem,
                                      "TRADER_TEST_HOOKS=1"});
  }
  bool open_gate() {
    call("resume", json{{"reason", "startup"}, {"force", true}});
    return test::eventually([&] { return call("gate").value("open", false); }, 30s);
  }
  bool engaged() {
    auto r = reasons(call("gate"));
    return std::find(r.begin(), r.end(), "kill_switch") != r.end();
  }
  exchange::coinbase_rest rest() {
    exchange::rest_options o;
    o.base_url = simex->rest();
    o.credentials = api_key;
    o.request_timeout = 2000ms;
    return exchange::coinbase_rest(o);
  }
  /// Open orders on simex; -1 when it could not be asked.
  int open_on_simex() {
    auto r = rest().open_orders();
    return r.ok() ? static_cast<int>(r->size()) : -1;
  }
  /// n resting post-only buys far below the market, each one order on simex.
  bool place_resting(int n) {
    for (int i = 0; i < n; ++i) {
      auto r = call_full("debug.intent", json{{"product", "BTC-USD"}, {"side", "buy"}, {"type", "limit"},
                                              {"size", "0.001"}, {"limit_px", "1000"}});
      if (!r.ok() || !r.resp.body.ok || r.resp.body.result.value("state", "") != "open")
        return false;
    }
    return test::eventually([&] { return open_on_simex() == n; }, 10s);
  }
  bool alert_received() {
    for (const auto& r : rx.requests())
      if (json::parse(r.body, nullptr, false).value("type", "") == "kill_switch")
        return true;
    return false;
  }

  /// Engages the kill switch by `how` against the running daemon p and times what follows
  /// (each condition polled: the gate every 2 ms, simex and the receiver every 10 ms).
  kill_figures engage(trigger how, test::child_process& p) {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    switch (how) {
      case trigger::signal: p.signal(SIGUSR1); break;
      case trigger::command:
        if (traderctl.empty())
          call_full("kill", json{{"reason", "harness"}});
        else
          kill_cli = start_ctl({"kill", "--reason", "harness"});
        break;
      case trigger::file: test::write_file(ks_file, ""); break;
    }
    kill_figures f;
    auto since = [&] { return std::chrono::duration<double, std::milli>(clock::now() - t0).count(); };
    const auto deadline = t0 + 20s;
    while (clock::now() < deadline && (!f.detect_ms || !f.cancels_ms || !f.alert_ms)) {
      if (!f.detect_ms && engaged())
        f.detect_ms = since();
      if (!f.cancels_ms && open_on_simex() == 0)
        f.cancels_ms = since();
      if (!f.alert_ms && alert_received())
        f.alert_ms = since();
      std::this_thread::sleep_for(f.detect_ms ? 10ms : 2ms);
    }
    return f;
  }

  /// `traderctl --config CFG --socket SOCK --json ARGS...` started against this daemon.
  std::unique_ptr<test::child_process> start_ctl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{traderctl, "--config", cfg, "--socket", socket(), "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<test::child_process>(argv, dir / ("traderctl" + std::to_string(++ctl_runs)));
  }
  /// traderctl's exit code (nullopt: still running after 30 s) and its stdout as JSON
  /// (discarded when it is not JSON).
  std::pair<std::optional<int>, json> ctl(const std::vector<std::string>& args) {
    auto c = start_ctl(args);
    auto rc = c->wait(30s);
    return {rc, json::parse(c->out(), nullptr, false)};
  }

  /// traderctl's path. Set (the test): trigger::command runs `traderctl --json kill` as an
  /// operator does and kill_cli holds it. Empty (the bench): the control socket's `kill`.
  std::string traderctl;
  std::unique_ptr<test::child_process> kill_cli;
  int ctl_runs = 0;
  std::vector<std::string> simex_args;  ///< More simex flags (set before SetUp).
  std::string private_pem;
  std::shared_ptr<const net::api_key> api_key;
  test_support::webhook_receiver rx;
  std::unique_ptr<trader::testing::simex_process> simex;
};

} // namespace risk_kill
