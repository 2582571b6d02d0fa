#pragma once
// The rate limiter: every exchange call asks it for a permit first.
// Receives: permit_request (endpoint actors, market_data/user_stream for ws_connect) →
//             permit_grant once a token is free (cancels first, then orders, then data);
//             errc::busy at once for a data call while its group is ≥ hold_at (90 %) of a
//             window or paused after a 429, or when the queue is full; errc::timeout after
//             max_wait_ms;
//           call_outcome (endpoint actors, after every call) → 429 pauses the group until
//             the retry hint (or a default) and halves its rate, which recovers step-wise;
//           caf::get_atom → JSON status (groups and per-endpoint counters) for tests/tools;
//           the liveness probe ("lv_probe") → mailbox depth.
// Sends:    alert "api_rate_limit" WARNING → alerting at 80 % window use (resolved when use
//           falls below 40 %) and on each 429 episode (resolved when the rate is restored);
//           latency_sample "rest:<endpoint>" / "ws:<endpoint>" → latency for every
//           call_outcome carrying a latency, when options::forward_latency is set (off by
//           default: actors/exchange/common's call_gate already sends one per attempt).
// On failure: permanent child of `exchange`; a restart starts with full buckets and drops
//             queued permits (their requesters get request_receiver_down and retry).

#include "actors/exchange/rate_limiter/rate_limit_options.hpp"

#include <caf/fwd.hpp>

#include <memory>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::rate_limiter {

/// trader_rate_limiter_* are declared in metrics, which must outlive the actor (traderd's
/// exporter registry; a test's own).
caf::actor spawn_rate_limiter(caf::actor_system& sys, core::registry& reg, rate_limit::options opts,
                              prometheus::Registry& metrics);

} // namespace trader::rate_limiter
