#pragma once
// The kill_switch actor: watches control.kill_switch_file (review row #5).
// Watches:  the file's parent directory with inotify (polled without blocking every
//           options::poll_interval), plus a stat() every options::stat_interval as the backstop
//           (directory missing, inotify unavailable, events missed); the stat tick also
//           re-arms a lost directory watch and picks up a reloaded path (options::current_path).
// On the file appearing (present at start, created, renamed into place): the gate condition
//           kill_switch (source "kill_switch_file") → risk, then raise_gate (a request risk
//           answers once kill_switch is durable in the store; retried every stat tick while
//           the file exists and risk has not confirmed), cancel_all → order_lifecycle, a
//           CRITICAL `kill_switch` alert → alerting, audit_entry "kill_switch" → audit,
//           spdlog::critical, trader_kill_switch_file_engaged_total. At start the subtrees
//           come up concurrently: a peer not registered yet gets its message once it is (up to
//           30 s, then the loss is logged).
// On the file going away: the condition is dropped from this source's report and the removal
//           is audited; risk keeps kill_switch (sticky, persisted) until an operator's
//           `traderctl resume kill_switch`, which risk refuses while the file still exists.
// Receives: report_gate_conditions (risk asks; its own re-assert timer) → gate_conditions to
//           risk; the liveness probe.
// On failure: permanent child of the root; the new instance stats the file at start, so a
//           file still present engages again (cancel-all and alert again; the gate is unchanged).

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <string>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::kill_switch {

struct options {
  std::string path;                           ///< The file (resolved: kill_switch::resolve_path).
  std::function<std::string()> current_path;  ///< Optional: the path after a reload, read every stat tick.
  std::chrono::milliseconds poll_interval{20};    ///< inotify descriptor drained this often (a read that finds nothing: cheap).
  std::chrono::milliseconds stat_interval{1000};  ///< Backstop stat (and re-arm) this often.
};

/// trader_kill_switch_* are declared in metrics, which must outlive the actor.
caf::actor spawn_kill_switch(caf::actor_system& sys, core::registry& reg, options opts, prometheus::Registry& metrics);

} // namespace trader::kill_switch
