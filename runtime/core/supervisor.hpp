#pragma once
// OTP-style supervisor on CAF 0.17 (see docs/architecture.md#supervision).
// Receives: sup_stop (ordered shutdown), sup_restart + name (restart that child under the
//           group's strategy; replies ok or an errc), down messages of its children, exit
//           messages from its parent.
// Sends:    exit signals to children (kills through the urgent queue); registry/health
//           updates; on_escalate / on_child_lost hook calls.
// On failure: its children receive its exit reason (attach_functor, urgent) and stop; the
//           instance that replaces a nested supervisor waits until they are down.

#include "runtime/core/child_spec.hpp"

#include <caf/fwd.hpp>

#include <string>

namespace trader::core {

/// Spawns a supervisor that starts spec.children in order.
caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_spec spec, supervisor_env env);

/// Longest an ordered shutdown of spec can take: every child's timeout (nested supervisors
/// carry their own budget as theirs), plus a second.
std::chrono::milliseconds shutdown_budget(const supervisor_spec& spec);

/// A child_spec that runs a nested supervisor (shutdown long enough for its children). Each
/// new instance first waits for the children its previous instance left running.
child_spec supervisor_child(supervisor_spec spec, supervisor_env env);

/// Orderly stop: reverse start order, each child within its shutdown timeout.
void request_stop(const caf::actor& supervisor);

/// Sends target an exit message through its urgent queue, so it is handled ahead of the
/// target's backlog (caf::anon_send_exit queues it behind every message already there). For
/// kills that must land now, e.g. traderd killing a tree that overran its shutdown budget.
void send_exit_urgently(const caf::actor& target, const caf::error& reason);

} // namespace trader::core
