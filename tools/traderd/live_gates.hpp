#pragma once
// The two LIVE start gates that need the running system: enough PAPER time for this trading
// hash (from the state store; fails closed when the store cannot say) and a clock in sync
// with the exchange (asked of the clock actor once the tree is up). Both log why they refuse.

#include "runtime/config/trader_config.hpp"
#include "tools/traderd/actor_factories.hpp"

#include <caf/fwd.hpp>

#include <string>

namespace trader::core {
class registry;
}

namespace trader::daemon {

bool live_clock_ok(caf::actor_system& sys, core::registry& reg, const config::trader_config& cfg);
bool live_paper_time_ok(const config::trader_config& cfg, const std::string& trading_hash, const daemon_context& ctx);

} // namespace trader::daemon
