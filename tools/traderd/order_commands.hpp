#pragma once
// The order lifecycle's control commands (issue 16): orders, positions, pnl, cancel-all,
// flatten, and the debug.intent test hook. Each asks the order_lifecycle actor; absent, they
// say so. Also the cancel of open orders on a graceful stop (execution.cancel_on_shutdown).

#include "tools/traderd/control_commands.hpp"

namespace trader::daemon {

/// Registers orders, positions, pnl, cancel-all, flatten and (TRADER_TEST_HOOKS=1) debug.intent.
void register_order_commands(control::control_server& server, const control_context& ctx);

/// Graceful stop (SIGTERM), before the tree stops: with execution.cancel_on_shutdown (and not
/// in DRY_RUN) asks order_lifecycle to cancel every open order of the account and waits up
/// to `timeout` for its answer, by which time the cancels' states are in the store.
void cancel_orders_on_shutdown(caf::actor_system& sys, core::registry& reg, const config::trader_config& cfg,
                               std::chrono::seconds timeout);

} // namespace trader::daemon
