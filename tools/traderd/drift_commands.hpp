#pragma once
// `drift` (issue 19): each strategy's live results against its backtest baseline, from the
// drift actor; absent, it says so.

#include "tools/traderd/control_commands.hpp"

namespace trader::daemon {

/// Registers drift.
void register_drift_commands(control::control_server& server, const control_context& ctx);

} // namespace trader::daemon
