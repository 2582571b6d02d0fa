// actor_restart_interruption_ms: starts simex and traderd (PAPER against it with an API key,
// so every exchange actor is up and talking; temporary state), restarts every
// actor of the running tree through the control socket N times while a client keeps
// asking for status, and reports the worst time an actor was away (the restart reply's
// elapsed_ms: from the request to the new instance registered) plus the status calls that
// failed meanwhile. Loopback and Unix sockets only; stops by itself.
// Usage: bench_restart [rounds]

#include "runtime/control/control_client.hpp"
#include "runtime/net/api_key.hpp"
#include "runtime/net/test_pki.hpp"
#include "tests/support/child_process.hpp"
#include "tests/system/simex/simex_process.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <thread>

using namespace std::chrono_literals;
using namespace trader;

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  test::temp_dir dir{"bench-restart"};
  auto cfg = dir / "config";
  test::write_file(cfg + "/profile.toml", std::string{"[profile]\nname = \"bench\"\nbase = \""} + TRADER_SOURCE_DIR
                                            + "/config\"\n");
  const std::string key_name = "organizations/bench/apiKeys/restart";
  auto pem = net::testing::generate_ec_key_pem();
  auto key = net::api_key::from_pem(key_name, pem);
  test::write_file(dir / "key.pub.pem", key->public_key_pem());
  trader::testing::simex_process simex({"--api-key", key_name + "=" + (dir / "key.pub.pem"), "--log-file", "-"});
  test::write_file(cfg + "/app.toml", "[app]\nmode = \"PAPER\"\nstate_dir = \"" + (dir / "state")
                                        + "\"\nruntime_dir = \"" + (dir / "run") + "\"\nlog_dir = \"" + (dir / "log")
                                        + "\"\n[metrics]\nenabled = false\n[exchange]\nrest_base_url = \""
                                        + simex.rest() + "/api/v3/brokerage\"\nws_market_url = \"" + simex.ws()
                                        + "\"\nws_user_url = \"" + simex.ws() + "\"\n");
  test::child_process d({TRADERD_PATH, "--config", cfg, "--log-level", "warn"}, dir / "traderd",
                        {"COINBASE_API_KEY_NAME=" + key_name, "COINBASE_API_PRIVATE_KEY=" + pem});
  control::control_client c{dir / "run/traderd.sock"};
  if (!test::eventually([&] { return c.call("status", nlohmann::json::object(), 1s).ok(); }, 30s)) {
    std::fprintf(stderr, "traderd did not come up:\n%s\n", d.err().c_str());
    return 1;
  }
  std::vector<std::string> actors;
  // Wait until every actor runs (the status reply may come before the last child starts).
  nlohmann::json tree;
  test::eventually(
    [&] {
      tree = c.call("actors").resp.body.result;
      auto& list = tree["actors"];
      return !list.empty() && std::all_of(list.begin(), list.end(), [](auto& a) { return a["state"] == "running"; });
    },
    10s);
  for (auto& a : tree["actors"])
    if (!a.value("parent", std::string{}).empty())
      actors.push_back(a.value("name", std::string{}));

  // Load: a client asking for the gate (served by risk through the registry) all along.
  std::atomic<bool> stop{false};
  std::atomic<long> calls{0}, failures{0};
  std::thread load([&] {
    control::control_client lc{dir / "run/traderd.sock"};
    while (!stop) {
      ++calls;
      if (!lc.call("gate", nlohmann::json::object(), 5s).ok())
        ++failures;
    }
  });
  double worst = 0;
  std::string worst_actor;
  for (int r = 0; r < rounds; ++r)
    for (auto& name : actors) {
      auto res = c.call("restart", nlohmann::json{{"actor", name}}, 60s);
      if (!res.ok()) {
        std::fprintf(stderr, "restart %s failed: %s %s\n", name.c_str(), res.message.c_str(),
                     res.resp.body.err.message.c_str());
        continue;
      }
      double ms = res.resp.body.result.value("elapsed_ms", 0.0);
      std::printf("restart %-10s %.3f ms\n", name.c_str(), ms);
      if (ms > worst) {
        worst = ms;
        worst_actor = name;
      }
    }
  stop = true;
  load.join();
  d.signal(SIGTERM);
  d.wait(30s);
  std::printf("actors=%zu rounds=%d worst=%s gate_calls=%ld gate_failures=%ld\n", actors.size(), rounds,
              worst_actor.c_str(), calls.load(), failures.load());
  std::printf("{\"actor_restart_interruption_ms\": %.3f, \"restart_gate_call_failures\": %ld}\n", worst,
              failures.load());
  return 0;
}
