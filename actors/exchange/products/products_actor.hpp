#pragma once
// The products actor: trading rules and status of every product, cached and refreshed
// every products_refresh (5 min).
// Receives: get_products{refresh} → product_list (cache when fresh, else a refresh);
//           get_product{product} → product_info (any accepted spelling of the id);
//           subscribe_feed → subscribed (the sender then gets product_status on changes).
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
