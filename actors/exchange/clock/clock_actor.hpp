#pragma once
// The clock actor: our wall clock against the exchange's (GET /time), NTP-style with the
// RTT/2 correction of skew_policy, every clock_probe_interval and on request.
// Receives: measure_clock → clock_sample (clock_probes probes, the lowest RTT wins; a
//           sample with within_limit=false and a CLOCK_UNRELIABLE reason when no probe
//           answered); subscribe_feed → subscribed (the sender then gets every sample).
// Sends:    clock_sample → subscribers; gate_signal{clock_skew} → risk and
//           alert{type "clock_skew"} → alerting when |offset| exceeds max_skew_ms (cleared /
//           resolved when back within it); latency_sample → latency; call_outcome and
//           permit_request → rate_limiter.
// On failure: permanent child of `exchange`; a restart measures again at once.
// Runs detached: its handlers block on HTTP.

#include "actors/exchange/coinbase/endpoint_options.hpp"

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::clock {

caf::actor spawn_clock(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts);

} // namespace trader::clock
