#pragma once
// Tick to order: the time from the WebSocket frame that caused a decision (read by
// market_data) to the create-order request written on the exchange socket (the orders
// actor), as latency samples for the latency actor (docs/orders.md "Tick to order").
// No CAF.

#include "messages/ops.hpp"
#include "messages/orders.hpp"
#include "messages/time.hpp"

#include <vector>

namespace trader::orders {

/// Every decision caused by a frame, whichever path decided it.
inline constexpr const char* tick_to_order_key = "tick_to_order";

/// The per-path key: "tick_to_order:exit" (protective exit: quote → risk, event-driven) or
/// "tick_to_order:strategy" (bars → triggers → strategies on the decision cycle).
std::string tick_to_order_path_key(decision_path path);

/// The samples of one create written at written_mono (steady clock) and wall: none when the
/// order did not come from a frame (origin_mono 0: operator flatten, auto-trim, debug.intent,
/// a re-send after a restart); otherwise tick_to_order and, when the path is known, its
/// per-path key, both with written_mono − origin_mono (never negative).
std::vector<latency_sample> tick_to_order_samples(mono_ns origin_mono, decision_path path, mono_ns written_mono,
                                                  ts_ns wall);

} // namespace trader::orders
