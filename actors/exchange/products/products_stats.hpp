#pragma once
// The products actor's metrics, declared once. No CAF.

#include "runtime/metrics/actor_metrics.hpp"

namespace trader::products {

/// trader_products_* series (besides call_gate's requests_total).
struct products_stats {
  explicit products_stats(const metrics::actor_metrics& m);

  prometheus::Counter& refresh_failures;  ///< refresh_failures_total
  prometheus::Counter& refresh_retries;   ///< refresh_retries_total
  prometheus::Gauge& unconfirmed;         ///< status_unconfirmed
};

} // namespace trader::products
