#pragma once
// Child specifications for OTP-style supervisors: data, not code.

#include "runtime/core/supervisor_plan.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace trader::core {

class registry;
class health_board;

/// Spawns one child and returns its handle; may throw (counted as a failed start).
using start_fn = std::function<caf::actor(caf::actor_system&)>;

/// One child of a supervisor.
struct child_spec {
  std::string name;  ///< Unique in the whole tree; the registry key.
  start_fn start;    ///< Spawns an instance.
  restart_type restart = restart_type::permanent;
  /// Time between the shutdown request and a kill. Zero = brutal kill.
  std::chrono::milliseconds shutdown{5000};
  bool is_supervisor = false;  ///< Its shutdown covers its own children.
  /// The child owns orders, fills or positions: when it dies abnormally its supervisor calls
  /// supervisor_env::on_child_lost (what it held in memory may be lost).
  bool owns_trading_state = false;
};

/// What happens when a supervisor's restart intensity is exceeded.
enum class escalation {
  exit,       ///< OTP: stop all children, exit; the parent supervisor decides.
  safe_halt,  ///< Root only: restart nothing more, call on_escalate once, keep the rest up.
};

/// A supervisor: its strategy, intensity, escalation and children in start order.
struct supervisor_spec {
  std::string name;
  restart_strategy strategy = restart_strategy::one_for_one;
  restart_intensity intensity;
  escalation on_exceeded = escalation::exit;
  std::vector<child_spec> children;
};

/// Shared services a supervisor writes to; all must outlive the tree.
struct supervisor_env {
  registry* reg = nullptr;
  health_board* health = nullptr;
  std::string parent;  ///< Name of the parent supervisor; empty for the root.
  /// Called once when a safe_halt supervisor gives up (the safe-halt hook).
  std::function<void(const std::string& supervisor, const std::string& reason)> on_escalate;
  /// Called, in the supervisor's context, when a child flagged owns_trading_state exits
  /// abnormally: a crash, a kill after its shutdown timeout, or a kill that
  /// came with the death of its supervisor. Not called for normal or user_shutdown exits
  /// (an operator restart or an ordered stop that completes in time). traderd wires it to
  /// the gate reason actor_lost_state. Nested supervisors pass it on with the env.
  std::function<void(const std::string& child, const std::string& reason)> on_child_lost;
};

} // namespace trader::core
