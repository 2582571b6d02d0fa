#include "tools/simex/api/simulator.hpp"

#include "tools/simex/engine/replay.hpp"

#include <stdexcept>

namespace trader::simex {

namespace {
exchange_config engine_config(std::uint64_t seed) {
  exchange_config c;
  c.seed = seed;
  return c;
}
} // namespace

simulator::simulator(simulator_config cfg)
  : cfg_(std::move(cfg)), ex_(engine_config(cfg_.seed)), rest_(ex_) {
  for (const auto& [key, user] : cfg_.key_users) {
    rest_.bind_key(key, user);
    key_users_[key] = user;
  }
  std::string err;
  if (!cfg_.replay_ws_file.empty()) {
    auto rec = load_ws_recording(cfg_.replay_ws_file, err);
    if (!rec)
      throw std::runtime_error("simex replay: " + err);
    replay_ = std::make_unique<recording_replay>(ex_, std::move(*rec));
    return;
  }
  if (cfg_.market.seed == model_config{}.seed)
    cfg_.market.seed = cfg_.seed;
  if (!cfg_.candles_csv_file.empty()) {
    auto bars = load_candles_csv(cfg_.candles_csv_file, err);
    if (!bars || bars->empty())
      throw std::runtime_error("simex candles: " + (err.empty() ? cfg_.candles_csv_file + ": no rows" : err));
    bool found = false;
    for (auto& p : cfg_.market.products) {
      if (p.listing.id == cfg_.candles_product) {
        p.path = std::move(*bars);
        found = true;
        break;
      }
    }
    if (!found)
      throw std::runtime_error("simex candles: product " + cfg_.candles_product + " is not simulated");
  }
  market_ = std::make_unique<synthetic_market>(ex_, cfg_.market);
}

simulator::~simulator() = default;

void simulator::start(ts_ns now) {
  if (replay_)
    replay_->start(now);
  else
    market_->start(now);
  cfg_.faults.set_origin(now);
  for (const auto& [key, user] : key_users_)
    fund(user);
  ex_.clear_events();
}

void simulator::step(ts_ns now) {
  step_events_.clear();
  ex_.drain_events(step_events_);  // what requests caused since the last step
  if (replay_)
    replay_->advance(now);
  else
    market_->advance(now);
  ex_.advance(now);
  for (const auto& f : cfg_.faults.on_tick(now))
    fault_plan::apply(f, ex_, now);
  ex_.drain_events(step_events_);
}

void simulator::fund(std::string_view user) {
  if (user.empty() || funded_.count(user) != 0)
    return;
  funded_.emplace(user);
  for (const auto& [ccy, value] : cfg_.opening_balances)
    if (auto a = parse_fixed<amount_tag>(value))
      ex_.deposit(user, ccy, *a);
}

void simulator::handle(const rest_request& req, ts_ns now, http_reply& out) {
  if (!req.key_name.empty()) {
    auto it = key_users_.find(req.key_name);
    fund(it == key_users_.end() ? req.key_name : std::string_view{it->second});
  }
  rest_.handle(req, now, out);
}

std::unique_ptr<ws_session> simulator::open_ws(ws_session::jwt_check check) const {
  // The transport's check yields the key name; the user channel wants the key's user.
  auto to_user = [this, check = std::move(check)](std::string_view jwt) -> std::optional<std::string> {
    auto key = check ? check(jwt) : std::nullopt;
    if (!key)
      return std::nullopt;
    auto it = key_users_.find(*key);
    return it == key_users_.end() ? *key : it->second;
  };
  return std::make_unique<ws_session>(ex_, std::move(to_user));
}

} // namespace trader::simex
