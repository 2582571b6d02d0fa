// simex: a Coinbase Advanced Trade compatible exchange simulator on loopback.
#include "tools/simex/server/server.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <pthread.h>
#include <thread>

namespace trader::simex::transport {
/// The real exchange behind the transport (api_backend.cpp), when trader_simex_api is built.
std::unique_ptr<backend> make_api_backend(const server_config& cfg);
} // namespace trader::simex::transport

int main(int argc, char** argv) {
  using namespace trader::simex::transport;
  server_config cfg;
  CLI::App app{"simex: a Coinbase Advanced Trade compatible exchange simulator (loopback).\n"
               "REST under /api/v3/brokerage, WebSocket market data and user channels on the REST\n"
               "port and on --ws-port, a loopback admin port for faults and test helpers.\n"
               "Port 0 picks a free port; the chosen ports are printed on stdout as one JSON line."};
  app.set_config("--config", "", "read flags from a TOML/INI file (keys = long flag names)");
  app.add_option("--bind", cfg.bind_address, "address of the REST and WS listeners")->capture_default_str();
  app.add_option("--port", cfg.port, "REST port (WebSocket upgrades accepted too); 0 = any")->capture_default_str();
  app.add_option("--ws-port", cfg.ws_port, "WebSocket port; 0 = any")->capture_default_str();
  app.add_option("--admin-port", cfg.admin_port, "admin port on 127.0.0.1; 0 = any")->capture_default_str();
  app.add_option("--tls-cert", cfg.tls_cert, "PEM certificate chain: serve https/wss")->check(CLI::ExistingFile);
  app.add_option("--tls-key", cfg.tls_key, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
  std::vector<std::string> keys;
  app.add_option("--api-key", keys, "NAME=PUBKEY_PEM_FILE, an API key whose JWTs are accepted (repeatable)");
  app.add_option("--jwt-host", cfg.jwt_hosts, "extra host accepted in the JWT uri claim (repeatable)");
  app.add_option("--jwt-skew", cfg.jwt_skew_s, "clock skew tolerated on JWT nbf/exp, seconds")->capture_default_str();
  app.add_option("--seed", cfg.seed, "seed of the market model and ids")->capture_default_str();
  std::string clock = "real";
  app.add_option("--clock", clock, "clock mode: real, accelerated, stepped")
    ->check(CLI::IsMember({"real", "accelerated", "stepped"}))
    ->capture_default_str();
  app.add_option("--speed", cfg.speed, "accelerated clock: simulated seconds per second")->capture_default_str();
  app.add_option("--start-time", cfg.start_time_s, "accelerated/stepped clock start, UNIX seconds (0 = now)");
  app.add_option("--tick-ms", cfg.tick_ms, "market step period, ms")->capture_default_str();
  app.add_option("--subscribe-deadline-ms", cfg.subscribe_deadline_ms, "WS connections without a subscribe are closed")
    ->capture_default_str();
  app.add_option("--idle-timeout-ms", cfg.idle_timeout_ms, "idle keep-alive connections are closed")
    ->capture_default_str();
  app.add_option("--rate-limit", cfg.rate_limit_per_s, "private REST requests per key per second (0 = off)")
    ->capture_default_str();
  app.add_option("--faults", cfg.faults_file, "JSON array of transport fault specs installed at start")->check(CLI::ExistingFile);
  app.add_option("--scenario", cfg.scenario_file, "TOML [[fault]] rules of the engine's fault plan (docs/simex.md)")
    ->check(CLI::ExistingFile);
  auto* replay = app.add_option("--replay-ws", cfg.replay_ws_file, "replay a recorded Coinbase WS session (.jsonl or .jsonl.zst)")
    ->check(CLI::ExistingFile);
  app.add_option("--candles-csv", cfg.candles_csv_file, "the mid of --candles-product follows these candles (CSV)")
    ->check(CLI::ExistingFile);
  app.add_option("--candles-product", cfg.candles_product, "product driven by --candles-csv (default BTC-USD)");
  app.add_option("--candles-model", cfg.candles_model,
                 "standard: --candles-product follows the file, the rest walk; backtest: only that product, "
                 "the market `backtest run --data F` builds (docs/simex.md)")
    ->check(CLI::IsMember({"standard", "backtest"}))
    ->capture_default_str()
    ->excludes(replay);
  // The synthetic market's shape; `backtest run --seed S` simulates --seed S --model-step-ms
  // 10000 --levels 10 --products <its universe> (docs/simex.md "backtest's market").
  app.add_option("--products", cfg.products, "simulate only these standard products, A,B (listing order; default all)")
    ->delimiter(',')
    ->excludes(replay);
  app.add_option("--model-step-ms", cfg.model_step_ms, "market model step, ms of engine time")
    ->check(CLI::Range(std::int64_t{1}, std::int64_t{86'400'000}))
    ->capture_default_str()
    ->excludes(replay);
  app.add_option("--levels", cfg.levels, "house levels a side (0 = the standard's 20)")
    ->check(CLI::Range(0, 1000))
    ->capture_default_str()
    ->excludes(replay);
  app.add_option("--vol-scale", cfg.vol_scale, "variance multiplier of the walk's per-step volatility")
    ->check(CLI::PositiveNumber)
    ->capture_default_str()
    ->excludes(replay);
  app.add_option("--log-file", cfg.log_file, "request log (key=value lines); default stderr, '-' = off");
  bool stub = false;
  app.add_flag("--stub", stub, "serve the transport stub instead of the exchange (transport tests)");
  CLI11_PARSE(app, argc, argv);

  cfg.clock = clock == "stepped" ? clock_mode::stepped : clock == "accelerated" ? clock_mode::accelerated : clock_mode::real;
  for (const auto& k : keys) {
    auto eq = k.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == k.size()) {
      std::cerr << "simex: --api-key wants NAME=PUBKEY_PEM_FILE, got '" << k << "'\n";
      return 2;
    }
    cfg.api_keys.push_back({k.substr(0, eq), k.substr(eq + 1)});
  }

  // SIGINT/SIGTERM are taken by a waiting thread that stops the server cleanly.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  try {
    auto be = stub ? make_stub_backend() : make_api_backend(cfg);
    server srv(cfg, std::move(be));
    auto ports = srv.start();
    std::cout << ports.to_json(!cfg.tls_cert.empty()) << std::endl;
    std::thread waiter([&srv, set] {
      int sig = 0;
      sigwait(&set, &sig);
      srv.stop();
    });
    srv.run();
    // NOLINTNEXTLINE(bugprone-bad-signal-to-kill-thread): SIGTERM is blocked and in the waiter's sigwait set: it wakes the waiter
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
  } catch (const std::exception& e) {
    std::cerr << "simex: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
