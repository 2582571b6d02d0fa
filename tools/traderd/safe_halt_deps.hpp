#pragma once
// The real dependencies of a safe halt (safe_halt.hpp), none of them an actor of the tree:
// the state store directly, the Coinbase REST client with the key directly, the alert sinks
// directly, and the registry only for the actors that may still be running (risk,
// order_lifecycle). The three building blocks are exposed for tests.

#include "actors/exchange/coinbase/coinbase_rest.hpp"
#include "actors/infra/alerting/alert_transport.hpp"
#include "actors/infra/alerting/sink_payloads.hpp"
#include "runtime/config/trader_config.hpp"
#include "tools/traderd/safe_halt.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace trader::core {
class registry;
}
namespace trader::net {
class api_key;
}
namespace trader::persistence {
class state_store;
}

namespace trader::daemon {

struct daemon_context;

/// What make_safe_halt_deps wires; everything outlives the safe_halt object.
struct safe_halt_wiring {
  core::registry* reg = nullptr;
  const daemon_context* ctx = nullptr;  ///< store (may be null), store_error, audit, config.
  config::trading_mode mode = config::trading_mode::dry_run;
  std::shared_ptr<const net::api_key> credentials;  ///< null outside LIVE without a key.
};

/// The real safe_halt_deps.
safe_halt_deps make_safe_halt_deps(const safe_halt_wiring& w);

/// Step 1: merges a `safe_halt` entry (detail why, since at) into the persisted gate record,
/// keeping every other reason, and commits it durably; then reads it back. Fails (with the
/// reason) when the store is absent, refuses writes, or the read or write fails.
halt_step persist_safe_halt(persistence::state_store* store, const std::string& store_error, const std::string& why,
                            ts_ns at);

/// The REST client settings of the emergency cancel path, from the configuration: the
/// exchange's base URL and CA, short timeouts and two attempts per call.
exchange::rest_options emergency_rest_options(const config::trader_config& cfg,
                                              std::shared_ptr<const net::api_key> credentials);

/// LIVE: lists every OPEN order over REST (GET /orders/historical/batch?order_status=OPEN)
/// and batch-cancels them (POST /orders/batch_cancel, 100 ids per call), synchronously; no
/// call starts after budget has passed.
halt_cancel_outcome cancel_open_orders_over_rest(const exchange::rest_options& opts, std::chrono::milliseconds budget);

/// Sends a to every sink itself (escalation-only sinks included: nothing will escalate it
/// later): log sinks through spdlog, the others as their webhook request through transport.
halt_alert_outcome alert_sinks_directly(const alert& a, const std::vector<alerting::sink_config>& sinks,
                                        alerting::alert_transport& transport);

} // namespace trader::daemon
