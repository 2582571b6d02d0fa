#pragma once
// The audit actor: appends audit_entry events to the JSONL audit log. Runs detached
// (fdatasync per event by default must not block a scheduler thread).
// Receives: audit_entry (every actor; control for operator commands). Its config_hash (the
//           producer's, in force when the decision was made) is stamped on the line; an
//           entry without one gets the log's current hash. A decision (risk_verdict, a sent
//           risk_exit) also gets decision_seq and decision_hash: the running hash of the
//           decision stream (decision_stream.hpp) since this actor started.
// Sends:    on a failed append (audit_health): gate_signal(audit_unavailable) → risk on every
//           failure, a CRITICAL audit_unavailable alert → alerting once per outage (resolved
//           by the next good append). Metrics trader_audit_* when given a registry.
// On failure: permanent child of `infra`; the log object outlives it (owned by traderd).

#include <caf/fwd.hpp>

#include <memory>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}
namespace trader::persistence {
class audit_log;
}

namespace trader::audit {

/// reg: where risk and alerting are found; metrics may be null (no series).
caf::actor spawn_audit(caf::actor_system& sys, core::registry& reg, std::shared_ptr<persistence::audit_log> log,
                       prometheus::Registry* metrics);

} // namespace trader::audit
