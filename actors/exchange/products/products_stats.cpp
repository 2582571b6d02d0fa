#include "actors/exchange/products/products_stats.hpp"

namespace trader::products {

products_stats::products_stats(const metrics::actor_metrics& m)
  : refresh_failures(m.counter("refresh_failures_total", "Catalogue refreshes that failed (retried after a backoff).")),
    refresh_retries(m.counter("refresh_retries_total",
                              "Refreshes sooner than the period: after a failure or a status change not yet listed.")),
    unconfirmed(m.gauge("status_unconfirmed", "Products whose status-channel change the catalogue has not confirmed.")) {}

} // namespace trader::products
