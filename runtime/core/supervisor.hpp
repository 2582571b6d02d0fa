#pragma once
// OTP-style supervisor on CAF 0.17 (see docs/architecture.md#supervision).
// Receives: sup_stop (ordered shutdown), sup_restart + name (restart one child; replies
//           ok or an errc), down messages of its children, exit messages from its parent.
// Sends:    exit signals to children; registry/health updates.
// On failure: its children receive its exit reason (attach_functor) and stop.

#include "runtime/core/child_spec.hpp"

#include <caf/fwd.hpp>

#include <string>

namespace trader::core {

/// Spawns a supervisor that starts spec.children in order.
caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_spec spec, supervisor_env env);

/// Longest an ordered shutdown of spec can take: every child's timeout (nested supervisors
/// carry their own budget as theirs), plus a second.
std::chrono::milliseconds shutdown_budget(const supervisor_spec& spec);

/// A child_spec that runs a nested supervisor (shutdown long enough for its children).
child_spec supervisor_child(supervisor_spec spec, supervisor_env env);

/// Orderly stop: reverse start order, each child within its shutdown timeout.
void request_stop(const caf::actor& supervisor);

} // namespace trader::core
