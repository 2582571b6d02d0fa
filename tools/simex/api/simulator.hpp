#pragma once
// One simex instance behind one object: the exchange, its market (synthetic, candle-driven
// or a replayed WS recording), the REST api, the engine-side faults and the per-step event
// feed the WS sessions read. The transport owns sockets and time; it calls start() once,
// step(now) on every tick, handle() per request and open_ws() per connection, all from one
// thread.

#include "tools/simex/api/rest_api.hpp"
#include "tools/simex/api/ws_api.hpp"
#include "tools/simex/engine/exchange.hpp"
#include "tools/simex/engine/fault_plan.hpp"
#include "tools/simex/engine/market_model.hpp"

#include <memory>
#include <set>

namespace trader::simex {

class recording_replay;

/// What to simulate.
struct simulator_config {
  std::uint64_t seed = 1;  ///< Drives the market and order ids.
  /// Products and model; products' seeds are taken from `seed` when left at the default.
  model_config market = model_config::standard(1);
  /// Credited to every user the first time one of its keys is seen (currency, decimal).
  std::vector<std::pair<std::string, std::string>> opening_balances = {
    {"USD", "100000"}, {"BTC", "1"}, {"ETH", "10"}, {"SOL", "100"}};
  /// API key → user (portfolio); an unbound key is its own user.
  std::vector<std::pair<std::string, std::string>> key_users;
  /// Non-empty: replay this Coinbase WS recording (.jsonl or .jsonl.zst) instead of the
  /// synthetic market.
  std::string replay_ws_file;
  /// Non-empty: the mid of candles_product follows these candles (CSV).
  std::string candles_csv_file;
  std::string candles_product = "BTC-USD";
  /// Engine-side faults (bad ticks, status flips) and the decisions the transport may ask.
  fault_plan faults;
};

/// A running simulated exchange.
class simulator {
public:
  /// Loads replay/candle files; throws std::runtime_error with the reason when one fails.
  explicit simulator(simulator_config cfg);
  ~simulator();

  /// Lists products, seeds history and books at engine time now; origin of the fault plan.
  void start(ts_ns now);
  /// Moves the market, GTD expiry and engine faults to now; events() then holds this
  /// step's events (and those of requests handled since the previous step).
  void step(ts_ns now);
  /// Events of the last step, oldest first.
  const std::vector<event>& events() const { return step_events_; }

  /// One REST request (funds the key's user on first sight).
  void handle(const rest_request& req, ts_ns now, http_reply& out);
  /// A WS connection's protocol state; feed it events() after every step. check returns
  /// the key name a WS JWT authenticates (mapped to its user here).
  std::unique_ptr<ws_session> open_ws(ws_session::jwt_check check) const;
  /// Credits the opening balances to user once.
  void fund(std::string_view user);

  exchange& engine() { return ex_; }
  rest_api& rest() { return rest_; }
  fault_plan& faults() { return cfg_.faults; }
  /// The synthetic market, or nullptr when a recording is replayed.
  const synthetic_market* market() const { return market_.get(); }

private:
  simulator_config cfg_;
  exchange ex_;
  rest_api rest_;
  std::unique_ptr<synthetic_market> market_;
  std::unique_ptr<recording_replay> replay_;
  std::vector<event> step_events_;
  std::set<std::string, std::less<>> funded_;
  std::map<std::string, std::string, std::less<>> key_users_;
};

} // namespace trader::simex
