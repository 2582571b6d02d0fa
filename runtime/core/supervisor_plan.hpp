#pragma once
// A supervisor's policy and what it decides, without CAF: OTP restart types and strategies,
// which children a restart touches and in what order, and the restart-intensity window.
// runtime/core/supervisor.cpp drives these; child_spec.hpp puts them into specs.

#include <chrono>
#include <cstddef>
#include <deque>
#include <string_view>
#include <vector>

namespace trader::core {

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

/// Max restarts within period before the supervisor gives up (OTP default 1 in 5 s).
struct restart_intensity {
  int max_restarts = 1;
  std::chrono::milliseconds period{5000};
};

/// "permanent", "transient", "temporary".
std::string_view to_string(restart_type x);
/// "one_for_one", "rest_for_one", "one_for_all".
std::string_view to_string(restart_strategy x);

/// What a restart needs to know about one child.
struct child_view {
  restart_type restart = restart_type::permanent;
  bool alive = false;  ///< An instance is running (or stopping) now.
  bool active = true;  ///< False once a temporary child is gone for good.
};

/// The children one restart touches.
struct restart_scope {
  std::vector<std::size_t> terminate;  ///< Alive children to stop, in reverse start order.
  std::vector<std::size_t> start;      ///< Children to (re)start, in start order.
  std::vector<std::size_t> dropped;    ///< Temporary siblings stopped for good (OTP).
};

/// The restart of child i under strategy s, for a failure (i is dead) and for an operator
/// restart by name (i is alive and is stopped with the others) alike: one_for_one touches i,
/// rest_for_one i and every later child, one_for_all every child. Temporary siblings in that
/// range are stopped and dropped; inactive ones stay down; i itself is always started.
restart_scope plan_restart(restart_strategy s, const std::vector<child_view>& kids, std::size_t i);

/// OTP's add_restart: one stamp per restart event, stamps older than the period dropped, more
/// than max_restarts left means the supervisor gives up.
class restart_window {
public:
  /// The actor clock's time (virtual under the deterministic scheduler).
  using time_point = std::chrono::steady_clock::time_point;
  /// A window for the given intensity.
  explicit restart_window(restart_intensity in) : in_(in) {}
  /// Records a restart at now; false when the intensity is exceeded.
  bool add(time_point now);

private:
  restart_intensity in_;
  std::deque<time_point> stamps_;
};

} // namespace trader::core
