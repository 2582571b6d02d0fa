#pragma once
// traderd's main thread once the daemon is up: waits for signals (SIGTERM/SIGINT stop,
// SIGHUP reloads) and runs small chores once a pass (≤ 1 s): the systemd watchdog (while the
// tree runs, nothing is wedged and the scheduler answers; in a safe halt while the scheduler
// answers: the halt is deliberate, see keep_watchdog), the wedge report, metrics,
// failure alerts (restart storms, exception bursts), the LMDB reader check (once a minute),
// the PAPER/LIVE runtime tick (once a minute) and the systemd status line (every 10 s).

#include "runtime/systemd/systemd_notify.hpp"
#include "tools/traderd/failure_watch.hpp"
#include "tools/traderd/loop_chores.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>
#include <caf/scoped_actor.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace trader::core {
class health_board;
class registry;
} // namespace trader::core

namespace trader::daemon {

struct boot_config;
struct daemon_context;
class config_holder;
class daemon_metrics;
class safe_halt;

/// What the loop looks after; everything outlives it.
struct loop_deps {
  caf::actor_system* sys = nullptr;
  core::registry* reg = nullptr;
  core::health_board* health = nullptr;
  config_holder* config = nullptr;
  const daemon_context* ctx = nullptr;
  daemon_metrics* metrics = nullptr;
  const gate_status* gate = nullptr;
  const boot_config* boot = nullptr;
  std::function<void()> reload;  ///< SIGHUP.
  /// The safe halt: while halted on purpose the watchdog keeps pinging (review #4).
  const safe_halt* halt = nullptr;
};

/// The main loop and its chores.
class daemon_loop {
public:
  /// Spawns the liveness monitor and the scheduler probe.
  explicit daemon_loop(loop_deps deps);
  daemon_loop(const daemon_loop&) = delete;
  daemon_loop& operator=(const daemon_loop&) = delete;
  /// Stops the liveness monitor and the probe.
  ~daemon_loop();
  /// READY, then chores until a stop signal; STOPPING on the way out.
  void run();

private:
  std::string status_line(const std::vector<health_report>& rows) const;
  bool scheduler_answers();
  void keep_watchdog();
  void raise_failure_alerts(const std::vector<health_report>& rows);
  void check_readers(steady_time now);
  void tick_runtime(steady_time now);

  loop_deps d_;
  systemd::notifier notify_;
  systemd::watchdog_policy watchdog_;
  caf::actor probe_;
  caf::actor liveness_;
  caf::scoped_actor prober_;  ///< Asks probe_ once a pass.
  wedge_report wedges_;
  failure_watch failures_;  ///< actor_restart_storm and exception_burst alerts.
  every status_every_;
  every readers_every_;
  runtime_meter runtime_;
  bool halted_logged_ = false;  ///< The safe halt's watchdog note is logged once.
};

} // namespace trader::daemon
