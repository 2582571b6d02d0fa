#pragma once
// The risk actor. Today it owns the trading gate; pre-trade checks join it with the
// trading issue.
// Receives: gate_signal (any actor), resume_gate (operator, via control), get_gate.
// Sends:    gate_changed → state (persisted); audit_entry "gate" → audit.
// On failure: permanent child of `trading`; the gate is restored from the store by its
//             factory (the last persisted reasons), so a restart never opens it.

#include "actors/trading/risk/trading_gate.hpp"

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::risk {

caf::actor spawn_risk(caf::actor_system& sys, core::registry& reg, trading_gate initial, gate_observer observer = {});

} // namespace trader::risk
