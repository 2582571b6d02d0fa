#pragma once
// Process signals for traderd: blocked in every thread at start (so CAF's workers inherit
// the mask) and taken synchronously by the main thread. No CAF.

#include <chrono>

namespace trader::daemon {

enum class signal_event { none, stop, reload, kill };

/// Blocks SIGTERM, SIGINT, SIGHUP and SIGUSR1 in the calling thread (call before spawning
/// threads).
void block_daemon_signals();
/// Waits up to `timeout` for one of them: stop (TERM/INT), reload (HUP), kill (USR1: the kill
/// switch) or none.
signal_event wait_for_signal(std::chrono::milliseconds timeout);

} // namespace trader::daemon
