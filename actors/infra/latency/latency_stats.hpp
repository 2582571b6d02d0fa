#pragma once
// The latency actor's metrics, declared once (docs/metrics.md § Latency). No CAF.

#include "actors/infra/latency/latency_tracker.hpp"
#include "runtime/metrics/actor_metrics.hpp"

namespace trader::latency {

/// trader_latency_* series, labelled by endpoint key (bounded like the tracker's keys).
struct latency_stats {
  explicit latency_stats(const metrics::actor_metrics& m, std::size_t max_keys = 64);

  metrics::labelled<prometheus::Histogram> duration;  ///< duration_seconds{endpoint}
  metrics::labelled<prometheus::Gauge> budget;        ///< budget_seconds{endpoint}
  metrics::labelled<prometheus::Counter> violations;  ///< budget_violations_total{endpoint}

  /// One sample.
  void observe(const std::string& key, std::int64_t duration_ns);
  /// Publishes a budget (prefix keys "rest:*" are published as "rest:*").
  void set_budget(const std::string& key, const latency_budget& b);
  /// Counts the violations of one check().
  void checked(const check_result& r);
};

} // namespace trader::latency
