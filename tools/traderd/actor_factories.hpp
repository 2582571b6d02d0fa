#pragma once
// Which actors traderd starts: the factory table handed to core::build_tree.

#include "messages/gate.hpp"
#include "runtime/core/tree.hpp"
#include "tools/traderd/config_holder.hpp"

#include <functional>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}
namespace trader::persistence {
class state_store;
class audit_log;
} // namespace trader::persistence

namespace trader::daemon {

/// What the actors of the tree may use; all outlive the tree.
struct daemon_context {
  config_holder* config = nullptr;
  core::registry* reg = nullptr;
  std::shared_ptr<persistence::state_store> store;  ///< Null when it could not be opened.
  std::string store_error;                          ///< Why it is null.
  std::shared_ptr<persistence::audit_log> audit;
  std::function<void(const gate_changed&)> on_gate;  ///< Gate metrics.
  prometheus::Registry* metrics = nullptr;           ///< Where actors declare trader_<actor>_*; null = none.
};

/// Start functions for every actor implemented so far, by registry name.
core::actor_factories make_actor_factories(const daemon_context& ctx);

} // namespace trader::daemon
