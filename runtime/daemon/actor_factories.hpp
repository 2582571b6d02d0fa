#pragma once
// Which actors traderd starts: the factory table handed to core::build_tree.

#include "runtime/core/tree.hpp"
#include "runtime/daemon/config_holder.hpp"

namespace trader::core {
class registry;
}

namespace trader::daemon {

/// What the actors of the tree may use; all outlive the tree.
struct daemon_context {
  config_holder* config = nullptr;
  core::registry* reg = nullptr;
};

/// Start functions for every actor implemented so far, by registry name.
core::actor_factories make_actor_factories(const daemon_context& ctx);

} // namespace trader::daemon
