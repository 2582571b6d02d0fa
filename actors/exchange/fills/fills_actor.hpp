#pragma once
// The fills actor: fills from the exchange's historical fills endpoint.
// Receives: get_fills{since, order, product} → fill_list (every page by cursor,
//           deduplicated by trade id; `skipped` counts fills the daemon could not represent).
// Sends:    permit_request/call_outcome → rate_limiter; latency_sample → latency.
// Errors:   errc::exchange_error / transport_error / timeout (see docs/exchange.md).
// On failure: permanent child of `exchange`; it holds no state (order_lifecycle dedupes
//             across calls by trade id). Runs detached: its handlers block on HTTP.

#include "actors/exchange/coinbase/endpoint_options.hpp"

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::fills {

caf::actor spawn_fills(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts);

} // namespace trader::fills
