#pragma once
// Wedge detection. Every actor in the tree answers probe_atom with its mailbox depth (add
// `core::probe_handler(self)` to its behavior; a traderd system test fails for any actor
// that does not). The liveness monitor probes every registered actor once a period and
// writes depth and "unanswered for" into the health board; the watchdog stops pinging
// systemd when any actor has left a probe unanswered longer than the wedge limit (a
// handler stuck in a loop or a blocking call cannot be killed in CAF; systemd restarts
// the process instead).

#include "runtime/core/atoms.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <cstdint>

namespace trader::core {

class registry;
class health_board;

/// The handler to add to an actor's behavior. Runs on the actor's own thread, so reading
/// its mailbox size is safe there (and only there).
template <class Self>
auto probe_handler(Self* self) {
  return [self](probe_atom) -> std::int64_t { return static_cast<std::int64_t>(self->mailbox().size()); };
}

struct liveness_options {
  std::chrono::milliseconds period{1000};  ///< how often each actor is probed
};

/// Spawns the monitor (not part of the tree; traderd owns it).
caf::actor spawn_liveness_monitor(caf::actor_system& sys, registry& reg, health_board& board,
                                  liveness_options opts = {});

} // namespace trader::core
