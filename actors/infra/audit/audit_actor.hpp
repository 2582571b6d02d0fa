#pragma once
// The audit actor: appends audit_entry events to the JSONL audit log. Runs detached
// (fdatasync per event by default must not block a scheduler thread).
// Receives: audit_entry (every actor; control for operator commands).
// Sends:    nothing; a failed append is logged at CRITICAL and counted.
// On failure: permanent child of `infra`; the log object outlives it (owned by traderd).

#include <caf/fwd.hpp>

#include <memory>

namespace trader::persistence {
class audit_log;
}

namespace trader::audit {

caf::actor spawn_audit(caf::actor_system& sys, std::shared_ptr<persistence::audit_log> log);

} // namespace trader::audit
