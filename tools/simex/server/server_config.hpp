#pragma once
// simex transport settings: what `simex --help` lists, as one struct.

#include <cstdint>
#include <string>
#include <vector>

namespace trader::simex::transport {

/// How simex's clock moves.
enum class clock_mode {
  real,         ///< wall clock
  accelerated,  ///< starts at start_time (or now) and runs speed× faster
  stepped,      ///< stands still; POST /clock/advance on the admin port moves it
};

/// A configured API key: its name and its public key (PEM file).
struct api_key_config {
  std::string name;
  std::string public_key_file;
};

/// Everything the transport needs; defaults are the loopback test setup.
struct server_config {
  std::string bind_address = "127.0.0.1";  ///< REST/WS listeners; admin is always loopback
  std::uint16_t port = 0;                  ///< REST (+ WS upgrade); 0 = pick a free port
  std::uint16_t ws_port = 0;               ///< separate WS port; 0 = pick a free port
  std::uint16_t admin_port = 0;            ///< admin (faults, stats); 0 = pick a free port
  std::string tls_cert;                    ///< PEM chain; with tls_key, REST and WS speak TLS
  std::string tls_key;
  std::vector<api_key_config> api_keys;
  std::vector<std::string> jwt_hosts;  ///< extra hosts accepted in the `uri` claim
  std::int64_t jwt_skew_s = 30;        ///< clock skew tolerated on nbf/exp
  std::uint64_t seed = 1;
  clock_mode clock = clock_mode::real;
  double speed = 1.0;               ///< accelerated: simulated seconds per real second
  std::int64_t start_time_s = 0;    ///< accelerated/stepped start (UNIX s); 0 = now
  int tick_ms = 10;                 ///< market step period (real time)
  int subscribe_deadline_ms = 5000; ///< WS connections without a subscribe are closed
  int idle_timeout_ms = 120000;     ///< keep-alive connections idle this long are closed
  int rate_limit_per_s = 0;         ///< private REST requests per key per second; 0 = off
  std::size_t ws_max_pending_bytes = 64u << 20;  ///< a slower WS reader is disconnected
  std::string log_file;             ///< request log (key=value lines); "" = stderr, "-" = off
  std::string faults_file;          ///< JSON array of transport fault specs installed at start
  std::string scenario_file;        ///< TOML [[fault]] rules for the engine's fault plan
  std::string replay_ws_file;       ///< replay a recorded Coinbase WS session (.jsonl[.zst])
  std::string candles_csv_file;     ///< the mid of candles_product follows these candles
  std::string candles_product;      ///< "" = BTC-USD
  /// "standard": candles_product follows the file, the other products walk; "backtest": the
  /// market is simex::candle_model of the file alone (what `backtest run --data F` builds).
  std::string candles_model = "standard";
  // The synthetic market's shape (simex::synthetic_options; docs/simex.md "backtest's market").
  std::vector<std::string> products;  ///< standard listings simulated, listing order; empty = all
  std::int64_t model_step_ms = 250;   ///< model resolution: the ladder moves and house takers trade this often
  int levels = 0;                     ///< house levels a side; 0 = the standard's (20)
  double vol_scale = 1.0;             ///< variance multiplier of the walk's per-step volatility
};

} // namespace trader::simex::transport
