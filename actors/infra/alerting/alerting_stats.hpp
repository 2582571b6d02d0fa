#pragma once
// The alerting actor's metrics, declared once (docs/metrics.md § Alerting). No CAF.

#include "actors/infra/alerting/alert_engine.hpp"
#include "actors/infra/alerting/delivery_queue.hpp"
#include "runtime/metrics/actor_metrics.hpp"

namespace trader::alerting {

/// trader_alerting_* series.
struct alerting_stats {
  explicit alerting_stats(const metrics::actor_metrics& m);

  metrics::labelled<prometheus::Counter> alerts;        ///< alerts_total{type,severity}
  prometheus::Counter& deduplicated;                    ///< deduplicated_total
  prometheus::Counter& escalations;                     ///< escalations_total
  metrics::labelled<prometheus::Counter> deliveries;    ///< deliveries_total{sink,result}
  metrics::labelled<prometheus::Counter> dead_letters;  ///< dead_letters_total{sink}
  prometheus::Gauge& active_alerts;                     ///< active_alerts
  prometheus::Gauge& queue_depth;                       ///< queue_depth
  metrics::labelled<prometheus::Gauge> secret_age;      ///< secret_age_seconds{secret}

  /// Counts one alert handed to the engine (resolves are not counted).
  void raised(const alert& a);
  /// One delivery attempt's result (the dispatcher's attempt_fn); thread-safe.
  void attempt(const std::string& sink, std::string_view result);
  /// Brings the engine-derived series up to date (call after each engine call).
  void sync(const alert_engine& engine, const delivery_queue& queue);

private:
  engine_stats last_{};
};

} // namespace trader::alerting
