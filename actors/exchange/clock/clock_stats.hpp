#pragma once
// The clock actor's metrics, declared once (docs/metrics.md § Scheduler and clock). No CAF.

#include "actors/exchange/clock/skew_policy.hpp"
#include "runtime/metrics/actor_metrics.hpp"

namespace trader::clock {

/// trader_clock_* series.
struct clock_stats {
  explicit clock_stats(const metrics::actor_metrics& m);

  prometheus::Gauge& skew;       ///< skew_seconds: exchange − local
  prometheus::Gauge& probe_rtt;  ///< probe_rtt_seconds

  /// Publishes a verdict's estimate (nothing when there is none).
  void update(const skew_verdict& v);
};

} // namespace trader::clock
