#include "actors/control/scheduler/scheduler_stats.hpp"

namespace trader::scheduler {

scheduler_stats::scheduler_stats(const metrics::actor_metrics& m)
  : cycles(m.counter("cycles_total", "Decision cycles started.")),
    cycle_duration(m.histogram("cycle_duration_seconds", "Decision cycle run time.", metrics::cycle_buckets_seconds())),
    overruns(m.counter("cycle_overruns_total", "Decision cycles longer than cycle_budget_s.")),
    interval(m.gauge("interval_seconds", "The last jittered interval drawn.")),
    mean_interval(m.gauge("interval_mean_seconds", "Mean measured interval between decision ticks.")),
    mean_jitter(m.gauge("jitter_mean_ratio", "Mean jitter of the intervals drawn, as a share of the nominal interval.")) {}

void scheduler_stats::started(std::int64_t delay_ns) {
  cycles.Increment();
  interval.Set(static_cast<double>(delay_ns) / 1e9);
}

void scheduler_stats::means(double mean_interval_ns, double mean_jitter_ratio) {
  mean_interval.Set(mean_interval_ns / 1e9);
  mean_jitter.Set(mean_jitter_ratio);
}

void scheduler_stats::finished(std::int64_t duration_ns, bool overran) {
  cycle_duration.Observe(static_cast<double>(duration_ns) / 1e9);
  if (overran)
    overruns.Increment();
}

} // namespace trader::scheduler
