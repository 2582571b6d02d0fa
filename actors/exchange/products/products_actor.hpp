#pragma once
// The products actor: trading rules and status of every product, cached and refreshed
// every products_refresh (5 min); a failed refresh is retried after a full-jitter backoff
// (products_recovery), never left to the next period.
// Receives: get_products{refresh} → product_list (cache when fresh, else a refresh);
//           get_product{product} → product_info (the id as listed, else any accepted
//           spelling of it: "WBTC-USD" is WBTC-USD when listed, "btc/usd" is BTC-USD);
//           subscribe_feed → subscribed (the sender then gets product_status on changes);
//           product_status (market_data's status channel) → a re-read of the catalogue when it
//           disagrees, repeated on a full-jitter backoff while it still does (refresh_plan).
// Sends:    product_status → subscribers when a product's state changes;
//           gate_signal{product_degraded} → risk at once when any product is not online
//           (cleared when all are back); permit_request/call_outcome → rate_limiter;
//           latency_sample → latency.
// Errors:   errc::exchange_error / transport_error / timeout; exchange_error "... not_found"
//           for a product the exchange does not list.
// On failure: permanent child of `exchange`; the cache reloads at start.
// Runs detached: its handlers block on HTTP.

#include "actors/exchange/coinbase/endpoint_options.hpp"

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::products {

caf::actor spawn_products(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts);

} // namespace trader::products
