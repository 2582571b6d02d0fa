#pragma once
// The actor system configuration of traderd, backtest and the actor tests.

#include <caf/actor_system_config.hpp>

#include <chrono>

#include <cstddef>

namespace trader::core {

/// Settings of the CAF runtime taken from app.toml [runtime].
struct runtime_options {
  std::size_t scheduler_threads = 2;  ///< CAF defaults to max(cores, 4); we size it explicitly.
  std::size_t max_throughput = 300;   ///< Messages per actor per turn: fairness for hot actors.
  bool deterministic = false;         ///< Test coordinator (virtual time, no threads).
  /// Work-stealing back-off of an idle worker in its moderate phase (CAF default 50 µs).
  /// 5 µs brings a market-data frame to its subscriber in p99 ≈ 78 µs instead of ≈ 112 µs
  /// on an idle 2-core machine (bench_feed); after 500 such polls the worker falls back to
  /// CAF's relaxed 10 ms sleeps, so an idle daemon does not spin (docs/BENCHMARKS.md).
  std::chrono::microseconds moderate_sleep{5};
};

/// actor_system_config with every message type, the trader error category and the
/// scheduler settings applied.
class system_config : public caf::actor_system_config {
public:
  explicit system_config(const runtime_options& opts = {});
};

} // namespace trader::core
