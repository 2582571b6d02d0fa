#pragma once
// The accounts actor: balances and the fee tier from the exchange.
// Receives: get_balances → balance_list (all pages); get_fee_tier → fee_tier.
// Sends:    permit_request/call_outcome → rate_limiter; latency_sample → latency.
// Errors:   errc::exchange_error / transport_error / timeout (see docs/exchange.md).
// On failure: permanent child of `exchange` (one_for_one); it holds no state.
// Runs detached: its handlers block on HTTP.

#include "actors/exchange/coinbase/endpoint_options.hpp"

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::accounts {

caf::actor spawn_accounts(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts);

} // namespace trader::accounts
