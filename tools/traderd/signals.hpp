#pragma once
// Process signals for traderd: blocked in every thread at start (so CAF's workers inherit
// the mask) and taken synchronously by the main thread. No CAF.

#include <chrono>

namespace trader::daemon {

enum class signal_event { none, stop, reload };

/// Blocks SIGTERM, SIGINT and SIGHUP in the calling thread (call before spawning threads).
void block_daemon_signals();
/// Waits up to `timeout` for one of them: stop (TERM/INT), reload (HUP) or none.
signal_event wait_for_signal(std::chrono::milliseconds timeout);

} // namespace trader::daemon
