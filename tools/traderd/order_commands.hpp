#pragma once
// The order lifecycle's control commands (issue 16): orders, positions, pnl, cancel-all, and
// the debug.intent test hook. Each asks the order_lifecycle actor; absent, they say so.

#include "tools/traderd/control_commands.hpp"

namespace trader::daemon {

/// Registers orders, positions, pnl, cancel-all and (TRADER_TEST_HOOKS=1) debug.intent.
void register_order_commands(control::control_server& server, const control_context& ctx);

} // namespace trader::daemon
