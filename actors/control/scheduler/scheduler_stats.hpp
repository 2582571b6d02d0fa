#pragma once
// The scheduler actor's metrics, declared once (docs/metrics.md § Scheduler). No CAF.

#include "actors/control/scheduler/jitter.hpp"
#include "runtime/metrics/actor_metrics.hpp"

namespace trader::scheduler {

/// trader_scheduler_* series.
struct scheduler_stats {
  explicit scheduler_stats(const metrics::actor_metrics& m);

  prometheus::Counter& cycles;            ///< cycles_total
  prometheus::Histogram& cycle_duration;  ///< cycle_duration_seconds
  prometheus::Counter& overruns;          ///< cycle_overruns_total
  prometheus::Gauge& interval;            ///< interval_seconds (the last delay drawn)
  prometheus::Gauge& mean_interval;       ///< interval_mean_seconds (measured between ticks)
  prometheus::Gauge& mean_jitter;         ///< jitter_mean_ratio (mean drawn delay / nominal − 1)

  /// A cycle started after a delay of delay_ns.
  void started(std::int64_t delay_ns);
  /// Publishes the measured mean interval and the mean jitter of the delays drawn so far.
  void means(double mean_interval_ns, double mean_jitter_ratio);
  /// A cycle finished after duration_ns; overran: longer than the budget.
  void finished(std::int64_t duration_ns, bool overran);
};

} // namespace trader::scheduler
