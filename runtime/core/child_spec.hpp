#pragma once
// Child specifications for OTP-style supervisors: data, not code.

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace trader::core {

class registry;
class health_board;

/// OTP restart types.
enum class restart_type {
  permanent,  ///< Always restarted.
  transient,  ///< Restarted only after an abnormal exit.
  temporary,  ///< Never restarted; forgotten once gone.
};

/// OTP restart strategies.
enum class restart_strategy {
  one_for_one,   ///< Restart only the child that died.
  rest_for_one,  ///< Restart it and every child started after it.
  one_for_all,   ///< Restart every child.
};

/// Spawns one child and returns its handle; may throw (counted as a failed start).
using start_fn = std::function<caf::actor(caf::actor_system&)>;

struct child_spec {
  std::string name;  ///< Unique in the whole tree; the registry key.
  start_fn start;
  restart_type restart = restart_type::permanent;
  /// Time between the shutdown request and a kill. Zero = brutal kill.
  std::chrono::milliseconds shutdown{5000};
  bool is_supervisor = false;
};

/// Max restarts within period before the supervisor gives up (OTP default 1 in 5 s).
struct restart_intensity {
  int max_restarts = 1;
  std::chrono::milliseconds period{5000};
};

/// What happens when a supervisor's restart intensity is exceeded.
enum class escalation {
  exit,       ///< OTP: stop all children, exit; the parent supervisor decides.
  safe_halt,  ///< Root only: restart nothing more, call on_escalate once, keep the rest up.
};

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
};

std::string_view to_string(restart_type x);
std::string_view to_string(restart_strategy x);

} // namespace trader::core
