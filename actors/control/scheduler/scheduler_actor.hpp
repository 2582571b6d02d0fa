#pragma once
// The scheduler: the jittered decision-cycle clock.
// Receives: subscribe_feed (any actor) → the sender gets every decision_tick from now on
//             (monitored; dropped when it dies), answered with subscribed{};
//           its own tick → decision_tick to every configured target name (looked up in the
//             registry at each tick, so a restarted target keeps getting ticks) and to every
//             subscriber, then the next jittered delay is drawn;
//           cycle_now_atom ("sch_now", traderd's TEST HOOK debug.cycle) → a decision tick
//             now, off the timer, answered with its cycle number (under the stepped
//             wall-clock hook, wall_clock_hooked(), the timer is not armed: these are the
//             only cycles);
//           the liveness probe ("lv_probe") → mailbox depth.
// Sends:    decision_tick → options::targets (default "universe") and subscribers.
// On failure: permanent child of the root; the cycle count restarts at 1 and the next tick
//             comes one jittered interval after the restart.

#include "actors/control/scheduler/jitter.hpp"
#include "runtime/core/names.hpp"

#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include <memory>
#include <string>
#include <vector>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::scheduler {

/// Asks for a decision cycle now (test hook: traderd's debug.cycle); answered with its number.
using cycle_now_atom = caf::atom_constant<caf::atom("sch_now")>;

/// Scheduler settings ([loop] interval_s, jitter_pct, cycle_budget_s of policy.toml).
struct options {
  jitter_config jitter;                            ///< interval, jitter fraction/mode, seed, budget.
  std::vector<std::string> targets = {names::universe};  ///< Registry names told every tick.
};

/// trader_scheduler_* are declared in metrics, which must outlive the actor (traderd's
/// exporter registry; a test's own).
caf::actor spawn_scheduler(caf::actor_system& sys, core::registry& reg, options opts, prometheus::Registry& metrics);

} // namespace trader::scheduler
