#pragma once
// The signal side's control commands (issue 14): universe, signals, strategies. Each asks its
// actor for a JSON object; absent, they say so.

#include "tools/traderd/control_commands.hpp"

namespace trader::daemon {

/// Registers universe, signals and strategies.
void register_signal_commands(control::control_server& server, const control_context& ctx);

} // namespace trader::daemon
