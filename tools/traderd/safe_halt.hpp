#pragma once
// Safe halt (review rows #3 and #4): what traderd does when the root supervisor gives up
// (a sub-supervisor exceeded its restart intensity). By then the subtree that failed is gone
// — risk, order_lifecycle, state or alerting may be among the dead — so the halt depends on
// none of them. In this order:
//   1. persist: `safe_halt` merged into the persisted gate record, directly in the state
//      store, durable before anything else happens (a restart for any reason comes back
//      halted: risk rebuilds its gate from the store, safe_halt is sticky);
//   2. tell risk (if it still runs) so its in-memory gate closes too;
//   3. cancel open orders: cancel_all to order_lifecycle if registered, and the emergency path
//      outside the tree (LIVE: list OPEN orders over REST and batch-cancel them, bounded);
//   4. a CRITICAL alert straight to the configured sinks (not through the alerting actor),
//      plus spdlog::critical.
// Every step runs even when an earlier one failed; what happened is kept in a
// safe_halt_report that `traderctl status` shows. The control socket and metrics live outside
// the tree and stay up; the daemon loop keeps the systemd watchdog fed while halted (the halt
// is deliberate), so systemd does not turn it into a restart loop.
//
// No CAF: the dependencies are std::functions (safe_halt_deps), the real ones are built by
// make_safe_halt_deps (safe_halt_deps.hpp); tests inject fakes.

#include "messages/gate.hpp"
#include "messages/ops.hpp"
#include "messages/time.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace trader::daemon {

/// The outcome of one step that either worked or did not.
struct halt_step {
  bool ok = false;
  std::string detail;
};

/// What the emergency cancel path did.
struct halt_cancel_outcome {
  bool ok = false;          ///< Every open order found was cancelled (or there was nothing to cancel).
  std::string path;         ///< "rest" (LIVE), "none" (DRY_RUN/PAPER: no exchange orders), "unavailable".
  int open_orders = -1;     ///< Open orders the exchange listed; -1 = not listed.
  int cancelled = 0;
  int failed = 0;
  std::string detail;
  std::vector<std::string> failures;  ///< Per order or per call, verbatim.
};

/// What the direct alert did.
struct halt_alert_outcome {
  bool ok = false;     ///< At least one sink took it.
  int sinks = 0;       ///< Sinks tried.
  int delivered = 0;   ///< Sinks that took it (the log sink always does).
  std::vector<std::string> failures;  ///< "sink: why".
};

/// What a safe halt did, for `traderctl status`, the audit log and the logs.
struct safe_halt_report {
  std::string supervisor;  ///< The supervisor that gave up (root).
  std::string why;         ///< Its message: which child, what intensity.
  ts_ns started_at = 0;
  ts_ns finished_at = 0;   ///< 0 while the halt is still running.
  halt_step persisted;     ///< safe_halt durable in the store.
  bool risk_notified = false;
  bool order_lifecycle_notified = false;
  halt_cancel_outcome cancel;
  halt_alert_outcome alert;
  std::vector<std::string> errors;  ///< Everything that did not work, in order.

  bool complete() const { return finished_at != 0; }
  nlohmann::json to_json() const;
};

/// The operations a safe halt needs, each working without the supervision tree.
struct safe_halt_deps {
  std::function<ts_ns()> now;
  /// Writes safe_halt (detail why, since at) into the persisted gate, keeping its other
  /// reasons; returns once the commit is durable.
  std::function<halt_step(const std::string& why, ts_ns at)> persist;
  /// Sends gate_signal(safe_halt) to risk; false when risk is not registered.
  std::function<bool(const gate_signal&)> notify_risk;
  /// Sends cancel_all to order_lifecycle; false when it is not registered.
  std::function<bool(const std::string& why)> notify_order_lifecycle;
  /// The emergency cancel path outside the tree (synchronous, bounded).
  std::function<halt_cancel_outcome(const std::string& why)> cancel_open_orders;
  /// Delivers a to every configured sink directly (synchronous, bounded).
  std::function<halt_alert_outcome(const alert& a)> alert;
  /// Optional: records the finished report (audit log).
  std::function<void(const safe_halt_report&)> record;
};

/// Runs the halt once and keeps its report. Thread-safe.
class safe_halt {
public:
  explicit safe_halt(safe_halt_deps deps);
  /// Joins a halt still running on its thread.
  ~safe_halt();
  safe_halt(const safe_halt&) = delete;
  safe_halt& operator=(const safe_halt&) = delete;

  /// The root supervisor's on_escalate: marks the daemon halted at once and runs the halt on
  /// a thread of its own (it blocks on the store, the exchange and the sinks, which must not
  /// hold up a CAF scheduler thread). Only the first call does anything.
  void trigger(const std::string& supervisor, const std::string& why);
  /// Runs the halt on the calling thread and returns its report; the first call only (a
  /// later call returns the first report unchanged).
  safe_halt_report run(const std::string& supervisor, const std::string& why);

  /// True from the moment a halt began (the watchdog keeps pinging from then on).
  bool halted() const { return halted_.load(); }
  /// The report so far (complete() once every step ran); nullopt when not halted.
  std::optional<safe_halt_report> report() const;
  /// {"halted": bool} plus "report" when halted: the `safe_halt` object of `status`.
  nlohmann::json status_json() const;
  /// Waits for a halt running on its thread; the report stays readable.
  void join();

private:
  bool begin(const std::string& supervisor, const std::string& why);
  void execute();
  void update(const std::function<void(safe_halt_report&)>& f);

  safe_halt_deps deps_;
  std::atomic<bool> halted_{false};
  mutable std::mutex mtx_;
  std::optional<safe_halt_report> report_;
  std::mutex join_mtx_;  // worker_: set by trigger() on a supervisor's thread, joined by join()
  std::thread worker_;
};

/// Joins the halt when it goes out of scope: declared after the actor system its thread
/// messages, so that the halt (read by `status` until the last actor is gone) outlives it.
class halt_joiner {
public:
  explicit halt_joiner(safe_halt& h) : halt_(h) {}
  ~halt_joiner() { halt_.join(); }
  halt_joiner(const halt_joiner&) = delete;
  halt_joiner& operator=(const halt_joiner&) = delete;

private:
  safe_halt& halt_;
};

/// The alert a safe halt sends: CRITICAL, type and fingerprint "safe_halt", detail naming
/// what was persisted and cancelled.
alert safe_halt_alert(const safe_halt_report& r, ts_ns now);

} // namespace trader::daemon
