#pragma once
// The actor system configuration of traderd, backtest and the actor tests.

#include <caf/actor_system_config.hpp>

#include <cstddef>

namespace trader::core {

/// Settings of the CAF runtime taken from app.toml [runtime].
struct runtime_options {
  std::size_t scheduler_threads = 2;  ///< CAF defaults to max(cores, 4); we size it explicitly.
  std::size_t max_throughput = 300;   ///< Messages per actor per turn: fairness for hot actors.
  bool deterministic = false;         ///< Test coordinator (virtual time, no threads).
};

/// actor_system_config with every message type, the trader error category and the
/// scheduler settings applied.
class system_config : public caf::actor_system_config {
public:
  explicit system_config(const runtime_options& opts = {});
};

} // namespace trader::core
