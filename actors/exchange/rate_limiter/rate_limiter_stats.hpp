#pragma once
// The rate limiter's metrics, declared once (docs/metrics.md § Exchange REST client and rate
// limiter). Label sets are bounded: bucket ∈ public, private, ws; endpoint ≤ max_endpoints
// names plus "other". No CAF.

#include "actors/exchange/rate_limiter/limiter.hpp"
#include "runtime/metrics/actor_metrics.hpp"

#include <map>
#include <string>

namespace trader::rate_limiter {

/// trader_rate_limiter_* series.
struct rate_limiter_stats {
  rate_limiter_stats(const metrics::actor_metrics& m, std::size_t max_endpoints);

  metrics::labelled<prometheus::Gauge> tokens;          ///< tokens{bucket}
  metrics::labelled<prometheus::Gauge> rate;            ///< rate_per_second{bucket} (in force)
  metrics::labelled<prometheus::Gauge> window_use;      ///< window_use_ratio{bucket}
  metrics::labelled<prometheus::Gauge> queued;          ///< queued{bucket}
  metrics::labelled<prometheus::Counter> requests;      ///< requests_total{endpoint}
  metrics::labelled<prometheus::Counter> throttled;     ///< throttled_total{endpoint}
  metrics::labelled<prometheus::Counter> held;          ///< held_total{endpoint}
  metrics::labelled<prometheus::Counter> timeouts;      ///< timeouts_total{endpoint}
  metrics::labelled<prometheus::Counter> rate_limited;  ///< rate_limited_total{endpoint} (429s)
  metrics::labelled<prometheus::Counter> wait_seconds;  ///< wait_seconds_total{endpoint}
  metrics::labelled<prometheus::Counter> api_errors;    ///< api_errors_total{endpoint}
  metrics::labelled<prometheus::Gauge> consecutive_errors;  ///< consecutive_errors{endpoint}

  /// Brings every series up to date with the limiter (counters by delta since last call).
  void sync(rate_limit::limiter& l, std::int64_t now_ns);

private:
  std::map<std::string, rate_limit::endpoint_stats> last_;
};

} // namespace trader::rate_limiter
