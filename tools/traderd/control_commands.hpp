#pragma once
// The daemon's own control commands (status, actors, restart, reload). The control server
// lives outside the supervision tree so the operator can reach traderd even in safe halt.

#include "messages/time.hpp"
#include "tools/traderd/config_holder.hpp"
#include "tools/traderd/gate_store.hpp"

#include <caf/fwd.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace trader::core {
class registry;
class health_board;
} // namespace trader::core
namespace trader::control {
class control_server;
}

namespace trader::daemon {

/// What `kill` (log and reply) and a safe halt (log) say while no order_lifecycle actor runs
/// to take their cancel_all.
inline constexpr char no_order_lifecycle[] = "no order_lifecycle: open orders were not cancelled";

/// What a reload did, for the log and for `traderctl reload`.
struct reload_outcome {
  bool applied = false;
  std::string message;
  std::string old_hash;
  std::string new_hash;
  std::vector<std::string> changed_sections;
  std::vector<std::string> problems;  ///< Config issues or refusals, rendered.
};

struct control_context {
  caf::actor_system* sys = nullptr;
  core::registry* reg = nullptr;
  core::health_board* health = nullptr;
  config_holder* config = nullptr;
  std::string mode;
  bool read_only = true;
  ts_ns started = 0;
  std::function<reload_outcome()> reload;
  /// {"ok": bool, "detail": ..., "size_bytes": ...} of the state store, for `status`.
  std::function<nlohmann::json()> store_status;
  /// {"halted": bool, "report": {...}} of the safe halt (safe_halt.hpp), for `status`.
  std::function<nlohmann::json()> safe_halt_status;
  /// Writes kill_switch (detail why, since at) straight into the persisted gate
  /// (persist_gate_reason): what `kill` does when risk is not running (safe halt).
  std::function<gate_write(const std::string& why, ts_ns at)> persist_kill_switch;
};

/// Who called, for audit entries and the actors: "uid=1000".
inline std::string caller(const control::request& req) { return "uid=" + std::to_string(req.peer.uid); }

/// Registers status, actors, restart and reload on server.
void register_core_commands(control::control_server& server, const control_context& ctx);

} // namespace trader::daemon
