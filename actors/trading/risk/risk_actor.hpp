#pragma once
// The risk actor. Today it owns the trading gate; pre-trade checks join it with the
// trading issue.
// Receives: gate_conditions (every level-triggered source: its whole current set),
//           gate_signal (events: an unresolved order, the safe-halt hook), raise_gate
//           (request: a sticky reason, answered once durable), resume_gate (operator, via
//           control; refused while the cause still holds), get_gate.
// Sends:    report_gate_conditions → every gate source at start (names::gate_sources), so a
//           restarted risk rebuilds the gate from what the sources hold now;
//           persist_gate → state after every change (request; a failed write is retried
//           every second); audit_entry "gate" → audit.
// On failure: permanent child of `trading`; its factory restores the sticky reasons from the
//             store (plus state_unavailable when the store failed), and `startup` is raised
//             again, so a restart never opens the gate.

#include "actors/trading/risk/trading_gate.hpp"

#include <caf/fwd.hpp>

#include <string>
#include <vector>

namespace trader::core {
class registry;
}

namespace trader::risk {

/// Every gate source, by name (names::gate_sources).
std::vector<std::string> default_gate_sources();

caf::actor spawn_risk(caf::actor_system& sys, core::registry& reg, trading_gate initial, gate_observer observer = {},
                      std::vector<std::string> sources = default_gate_sources());

} // namespace trader::risk
