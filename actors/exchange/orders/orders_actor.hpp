#pragma once
// The orders actor: the only sender of orders and cancels to the exchange.
// Receives: create_order → order_ack (never blindly retried: a lost reply is resolved by
//           looking the client order id up; see docs/exchange.md "Create-order resolution");
//           preview_order → order_preview; cancel_orders → cancel_results (priority cancel,
//           retried: cancelling twice is harmless); get_order → order_update (by exchange
//           id, else by client id); list_open_orders → order_list (all pages; `skipped`
//           counts open orders the daemon could not represent; OPEN, PENDING and QUEUED);
//           list_recent_orders → order_list (every status since a time: the cross-check of
//           a by-client-id lookup).
// Sends:    gate_signal{order_timeout} → risk when a create's outcome cannot be resolved
//           (the order may or may not exist); permit_request/call_outcome → rate_limiter;
//           latency_sample → latency; for a create_order caused by a WebSocket frame
//           (origin_mono set), tick_to_order and tick_to_order:<path> the moment the POST is
//           written on the socket (tick_to_order.hpp).
// Errors:   errc::exchange_error / transport_error / timeout (an unresolved create is a
//           timeout whose context names the kind "unresolved": the order may exist).
// On failure: permanent child of `exchange`; holds no order state (order_lifecycle does).
//             Runs detached: its handlers block on HTTP.

#include "actors/exchange/coinbase/endpoint_options.hpp"

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::orders {

caf::actor spawn_orders(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts);

} // namespace trader::orders
