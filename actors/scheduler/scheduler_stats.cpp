#include "actors/scheduler/scheduler_stats.hpp"

namespace trader::scheduler {

scheduler_stats::scheduler_stats(metrics::actor_metrics m)
  : cycles(m.counter("cycles_total", "Decision cycles started.")),
    cycle_duration(m.histogram("cycle_duration_seconds", "Decision cycle run time.", metrics::cycle_buckets_seconds())),
    overruns(m.counter("cycle_overruns_total", "Decision cycles longer than cycle_budget_s.")),
    interval(m.gauge("interval_seconds", "The last jittered interval drawn.")) {}

void scheduler_stats::started(std::int64_t delay_ns) {
  cycles.Increment();
  interval.Set(static_cast<double>(delay_ns) / 1e9);
}

void scheduler_stats::finished(std::int64_t duration_ns, bool overran) {
  cycle_duration.Observe(static_cast<double>(duration_ns) / 1e9);
  if (overran)
    overruns.Increment();
}

} // namespace trader::scheduler
