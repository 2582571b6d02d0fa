#pragma once
// The state actor: the single writer of the LMDB store. Runs detached (durable commits
// fsync and must not block a scheduler thread).
// Receives: persist_gate (risk, request: answered once the gate is durable), gate_changed
//           (persisted without an answer), report_gate_conditions, config_runtime (traderd, PAPER/LIVE minutes per trading hash). More record kinds join with the order lifecycle.
// Re-verifies the store every reverify_options::interval (default hourly) in a spawned
// helper process (store_reverifier); a failed verify poisons the store and fails closed.
// Sends:    gate_conditions → risk: state_unavailable for as long as the store is absent or
//           failed (a write of any actor — watched every 500 ms —, or a periodic verify),
//           re-asserted periodically; on the first
//           failure a CRITICAL alert → alerting and audit_entry → audit. Never retries a failed
//           commit.
// On failure: permanent child of `infra`; the store object outlives it (owned by traderd).

#include "actors/infra/state/store_reverifier.hpp"

#include <caf/fwd.hpp>

#include <memory>
#include <string>

namespace trader::core {
class registry;
}
namespace trader::persistence {
class state_store;
}

namespace trader::state {

/// store may be null: the store could not be opened (why says so); every write is refused
/// and reported. verify: the periodic re-verify (from $TRADER_STATE_VERIFY_INTERVAL_S by
/// default).
caf::actor spawn_state(caf::actor_system& sys, core::registry& reg, std::shared_ptr<persistence::state_store> store,
                       std::string why_unavailable, reverify_options verify = reverify_options::from_env());

} // namespace trader::state
