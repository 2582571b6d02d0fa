#pragma once
// The user_stream actor: the authenticated `user` WebSocket channel (order updates).
// Receives: subscribe_feed (any; monitored, answered subscribed).
// Sends:    order_update → subscribers; fill → subscribers (each trade id once);
//           get_fills / list_open_orders → "fills" / "orders" (REST re-reads);
//           gate_signal{user_stream_gap} → "risk" while updates may have been lost.
// The user channel reports cumulative order state and no trade ids, so fills are never
// made up from deltas: a growing cumulative_quantity asks "fills" for that order's fills,
// and after every reconnect (or sequence gap) fills since the disconnect (minus a margin)
// and the open orders are re-read over REST — a WebSocket gap must never hide a fill.
// On failure: permanent child of `exchange`; a restart reconnects and re-reads.

#include "actors/exchange/feed/feed_options.hpp"

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::user_stream {

/// Starts the actor (and its reader thread unless opts.ws_url is empty, as in actor tests).
caf::actor spawn_user_stream(caf::actor_system& sys, core::registry& reg, feed::user_stream_options opts);

} // namespace trader::user_stream
