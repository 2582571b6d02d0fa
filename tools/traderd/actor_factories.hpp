#pragma once
// Which actors traderd starts: the factory table handed to core::build_tree, filled per
// subtree of DESIGN.md's tree by one file each (infra_factories.cpp, exchange_factories.cpp,
// trading_factories.cpp, root_factories.cpp). A factory runs at every (re)start and reads the
// configuration current then.

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
namespace trader::net {
class api_key;
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
  prometheus::Registry* metrics = nullptr;           ///< Where actors declare trader_<actor>_*; never null.
  std::string record_market_dir;                     ///< --record-market ("" = no recorder).
};

/// infra: audit (when the log is open), alerting, state, latency.
void add_infra_factories(core::actor_factories& f, const daemon_context& ctx);
/// exchange: rate_limiter, products, accounts, orders, fills, clock, market_data and, with
/// credentials, user_stream (without them private REST calls fail with a typed auth error).
void add_exchange_factories(core::actor_factories& f, const daemon_context& ctx,
                            const std::shared_ptr<const net::api_key>& credentials);
/// trading: risk, order_lifecycle.
void add_trading_factories(core::actor_factories& f, const daemon_context& ctx);
/// trading, in front of risk: universe, triggers, strategies (signal_factories.cpp).
void add_signal_factories(core::actor_factories& f, const daemon_context& ctx);
/// trading, after order_lifecycle: drift; infra, with --record-market: recorder (drift_factories.cpp).
void add_drift_factories(core::actor_factories& f, const daemon_context& ctx);
/// Directly under root: kill_switch (when control.kill_switch_file is set), scheduler, and the
/// probe test hook when TRADER_TEST_PROBE is set.
void add_root_factories(core::actor_factories& f, const daemon_context& ctx);

/// Start functions for every actor implemented so far, by registry name (all four subtrees).
core::actor_factories make_actor_factories(const daemon_context& ctx,
                                           const std::shared_ptr<const net::api_key>& credentials);

} // namespace trader::daemon
