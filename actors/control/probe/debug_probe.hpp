#pragma once
// A test hook, spawned only when traderd runs with TRADER_TEST_HOOKS=1: a leaf under root
// that blocks its own thread for a given time when told to ("debug.wedge"), so system
// tests can watch wedge detection stop the systemd watchdog pings. Never in production.
// Receives: (wedge_atom, ms). Answers liveness probes like every actor.

#include <caf/fwd.hpp>

#include <cstdint>

namespace trader::probe {

/// True when the environment enables test hooks (TRADER_TEST_HOOKS=1).
bool test_hooks_enabled();

/// Detached: a wedge blocks only this actor's thread, not a scheduler worker.
caf::actor spawn_debug_probe(caf::actor_system& sys);

/// Tells the probe to block its thread for ms.
void send_wedge(const caf::actor& probe, std::int64_t ms);

} // namespace trader::probe
