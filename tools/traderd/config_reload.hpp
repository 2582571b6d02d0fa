#pragma once
// SIGHUP or `traderctl reload`: validate the configuration directory fully; swap in only a
// valid config whose non-reloadable keys are unchanged, then tell the actors that read a
// changed section (config_changed).

#include "tools/traderd/config_holder.hpp"
#include "tools/traderd/control_commands.hpp"

#include <functional>
#include <string>

namespace trader::config {
struct load_result;
}
namespace trader::core {
class registry;
}
namespace trader::persistence {
class audit_log;
}

namespace trader::daemon {

/// Logs every issue of a load (errors at error level, the rest as warnings).
void log_config_issues(const config::load_result& r);

/// Reloads holder's directory; on_applied(new hash) runs after a swap. Never throws; every
/// issue and refusal is logged and returned.
reload_outcome reload_config(config_holder& holder, persistence::audit_log* audit, core::registry& reg,
                             const std::function<void(const std::string&)>& on_applied);

} // namespace trader::daemon
