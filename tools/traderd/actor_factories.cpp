#include "tools/traderd/actor_factories.hpp"

namespace trader::daemon {

core::actor_factories make_actor_factories(const daemon_context& ctx,
                                           const std::shared_ptr<const net::api_key>& credentials) {
  core::actor_factories f;
  add_infra_factories(f, ctx);
  add_exchange_factories(f, ctx, credentials);
  add_signal_factories(f, ctx);
  add_trading_factories(f, ctx);
  add_drift_factories(f, ctx);
  add_root_factories(f, ctx);
  return f;
}

} // namespace trader::daemon
