#pragma once
// The pure parts of traderd's main loop (daemon_loop.hpp): when a periodic chore is due, the
// PAPER/LIVE running time, wedge changes, the gate and status text. No CAF, no clock of their
// own: time is an argument.

#include "messages/gate.hpp"
#include "messages/ops.hpp"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace trader::daemon {

using steady_time = std::chrono::steady_clock::time_point;

/// A chore that runs once a period: due() is true at `first`, then once per period after
/// the pass that ran it (a late pass does not make it run twice).
class every {
public:
  every(std::chrono::steady_clock::duration period, steady_time first) : period_(period), next_(first) {}
  /// True when the chore should run at now (and schedules the next run).
  bool due(steady_time now) {
    if (now < next_)
      return false;
    next_ = now + period_;
    return true;
  }

private:
  std::chrono::steady_clock::duration period_;
  steady_time next_;
};

/// Running time in PAPER and LIVE, handed to state (config_runtime) in whole seconds once a
/// minute; the remainder carries over, so no second is lost or counted twice.
class runtime_meter {
public:
  explicit runtime_meter(steady_time start) : last_(start) {}
  /// The whole seconds since the last hand-over once a minute has passed; 0 before.
  std::int64_t take(steady_time now);

private:
  steady_time last_;
};

/// The set of wedged actors, to log only when it changes.
class wedge_report {
public:
  /// True when wedged differs from the previous pass (and remembers it).
  bool changed(const std::vector<std::string>& wedged);

private:
  std::vector<std::string> before_;
};

/// "OPEN", or "CLOSED(reason,reason)" in the gate's order.
std::string gate_text(const gate_changed& g);

/// The gate as the status line shows it, updated from the risk actor's thread.
class gate_status {
public:
  /// Called on every gate change (thread-safe).
  void on_gate(const gate_changed& g);
  /// The current text ("CLOSED(startup)" before the first change).
  std::string text() const;

private:
  mutable std::mutex mtx_;
  std::string text_ = "CLOSED(startup)";
};

/// Whether this pass counts as healthy for the systemd watchdog (WATCHDOG=1). Normally: every
/// child runs, none is wedged and CAF's scheduler answers. In a safe halt the tree is stopped
/// on purpose and the control socket and metrics must stay up for the operator (a restart
/// would only come back halted, or lose the halt's report), so only the scheduler counts
/// (review row #4). `status` still reports the daemon as not healthy.
bool watchdog_healthy(bool all_running, bool none_wedged, bool scheduler_answers, bool safe_halted);

/// systemd's STATUS line: "PAPER gate=OPEN actors=12/12 store=ok config=<hash>".
std::string status_text(std::string_view mode, std::string_view gate, const std::vector<health_report>& rows,
                        bool store_ok, std::string_view config_hash);

} // namespace trader::daemon
