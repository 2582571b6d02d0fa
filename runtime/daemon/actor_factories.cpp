#include "runtime/daemon/actor_factories.hpp"

namespace trader::daemon {

core::actor_factories make_actor_factories(const daemon_context& ctx) {
  core::actor_factories f;
  // Actors register here as their issues land (see actors/README.md).
  (void) ctx;
  return f;
}

} // namespace trader::daemon
