#include "actors/infra/latency/latency_stats.hpp"

namespace trader::latency {

latency_stats::latency_stats(const metrics::actor_metrics& m, std::size_t max_keys)
  : duration(m.histograms("duration_seconds", "Latency samples by endpoint or stage.", {{"endpoint", {}}},
                          metrics::latency_buckets_seconds(), max_keys)),
    budget(m.gauges("budget_seconds", "Configured latency budget by endpoint.", {{"endpoint", {}}}, max_keys)),
    violations(m.counters("budget_violations_total", "Budget checks that failed, by endpoint.", {{"endpoint", {}}},
                          max_keys)) {}

void latency_stats::observe(const std::string& key, std::int64_t duration_ns) {
  duration[key].Observe(static_cast<double>(duration_ns) / 1e9);
}

void latency_stats::set_budget(const std::string& key, const latency_budget& b) {
  budget[key].Set(static_cast<double>(b.max_ns) / 1e9);
}

void latency_stats::checked(const check_result& r) {
  for (const auto& v : r.violations)
    violations[v.key].Increment();
}

} // namespace trader::latency
