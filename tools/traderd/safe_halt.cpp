#include "tools/traderd/safe_halt.hpp"

#include "runtime/clock.hpp"

#include <spdlog/spdlog.h>

namespace trader::daemon {

namespace {

using nlohmann::json;

std::string ts_text(ts_ns t) { return t ? format_rfc3339_ms(t) : std::string{}; }

/// Runs a dependency, turning a missing one or an exception into a failure of that step.
template <class R, class F>
R guarded(const char* step, std::vector<std::string>& errors, F&& f, R on_fail) {
  try {
    return f();
  } catch (const std::exception& e) {
    errors.push_back(std::string{step} + ": threw: " + e.what());
  } catch (...) {
    errors.push_back(std::string{step} + ": threw");
  }
  return on_fail;
}

} // namespace

json safe_halt_report::to_json() const {
  return json{{"supervisor", supervisor},
              {"why", why},
              {"started_at", ts_text(started_at)},
              {"finished_at", ts_text(finished_at)},
              {"complete", complete()},
              {"persisted", json{{"ok", persisted.ok}, {"detail", persisted.detail}}},
              {"risk_notified", risk_notified},
              {"cancel",
               json{{"ok", cancel.ok},
                    {"path", cancel.path},
                    {"open_orders", cancel.open_orders},
                    {"cancelled", cancel.cancelled},
                    {"failed", cancel.failed},
                    {"detail", cancel.detail},
                    {"failures", cancel.failures},
                    {"order_lifecycle_notified", order_lifecycle_notified}}},
              {"alert",
               json{{"ok", alert.ok}, {"sinks", alert.sinks}, {"delivered", alert.delivered}, {"failures", alert.failures}}},
              {"errors", errors}};
}

alert safe_halt_alert(const safe_halt_report& r, ts_ns now) {
  std::string detail = r.why + "; gate " + (r.persisted.ok ? "persisted with safe_halt" : "NOT persisted: " + r.persisted.detail)
                       + "; orders: " + r.cancel.detail
                       + (r.order_lifecycle_notified ? " (cancel_all sent to order_lifecycle)" : "")
                       + ". Control socket and metrics stay up; recover: fix the cause, `systemctl restart traderd`, "
                         "then `traderctl resume safe_halt`.";
  return alert{"safe_halt", severity::critical, "safe_halt", "traderd SAFE HALT: trading stopped", std::move(detail),
               "root", false, now};
}

safe_halt::safe_halt(safe_halt_deps deps) : deps_(std::move(deps)) {
  if (!deps_.now)
    deps_.now = [] { return system_time_source::instance().wall_now(); };
}

safe_halt::~safe_halt() { join(); }

void safe_halt::join() {
  std::lock_guard guard{join_mtx_};
  if (worker_.joinable())
    worker_.join();
}

bool safe_halt::begin(const std::string& supervisor, const std::string& why) {
  std::lock_guard guard{mtx_};
  if (report_) {
    spdlog::critical("SAFE HALT: already halted; ignoring a second escalation from {}: {}", supervisor, why);
    return false;
  }
  safe_halt_report r;
  r.supervisor = supervisor;
  r.why = why;
  r.started_at = deps_.now();
  report_ = std::move(r);
  halted_.store(true);
  return true;
}

void safe_halt::update(const std::function<void(safe_halt_report&)>& f) {
  std::lock_guard guard{mtx_};
  f(*report_);
}

void safe_halt::trigger(const std::string& supervisor, const std::string& why) {
  if (!begin(supervisor, why))
    return;
  spdlog::critical("SAFE HALT: supervisor {} exceeded its restart intensity: {}", supervisor, why);
  try {
    std::lock_guard guard{join_mtx_};
    worker_ = std::thread{[this] { execute(); }};
  } catch (const std::exception& e) {  // no thread: do it here rather than not at all
    spdlog::critical("SAFE HALT: no thread for the halt ({}); running it on the supervisor's thread", e.what());
    execute();
  }
}

safe_halt_report safe_halt::run(const std::string& supervisor, const std::string& why) {
  if (begin(supervisor, why)) {
    spdlog::critical("SAFE HALT: supervisor {} exceeded its restart intensity: {}", supervisor, why);
    execute();
  }
  return *report();
}

void safe_halt::execute() {
  auto r = *report();
  std::vector<std::string> errors;
  auto fail = [&](std::string what) {
    spdlog::critical("SAFE HALT: {}", what);
    errors.push_back(std::move(what));
  };

  // 1. Durable first: whatever happens next, a restart comes back halted.
  halt_step persisted{false, "no state store wiring"};
  if (deps_.persist)
    persisted = guarded<halt_step>("persist", errors, [&] { return deps_.persist(r.why, r.started_at); },
                                   halt_step{false, "persisting threw"});
  if (persisted.ok)
    spdlog::critical("SAFE HALT: safe_halt persisted in the state store ({})", persisted.detail);
  else
    fail("safe_halt NOT persisted: " + persisted.detail + " — a restart will not come back halted unless the store "
         "is unavailable then too (state_unavailable)");
  update([&](safe_halt_report& x) {
    x.persisted = persisted;
    x.errors = errors;
  });

  // 2. risk's in-memory gate, if risk still runs (otherwise its next instance reads the store).
  bool risk = deps_.notify_risk
                && guarded<bool>("notify risk", errors, [&] {
                     return deps_.notify_risk(gate_signal{gate_reason::safe_halt, true, r.why, "root", r.started_at});
                   }, false);
  if (!risk)
    spdlog::warn("SAFE HALT: risk is not running; its next instance restores safe_halt from the store");

  // 3. Cancels: order_lifecycle if it runs, and the emergency path that needs no actor.
  bool lifecycle = deps_.notify_order_lifecycle
                     && guarded<bool>("notify order_lifecycle", errors,
                                      [&] { return deps_.notify_order_lifecycle("safe halt: " + r.why); }, false);
  halt_cancel_outcome cancel{false, "unavailable", -1, 0, 0, "no emergency cancel path", {}};
  if (deps_.cancel_open_orders)
    cancel = guarded<halt_cancel_outcome>("cancel", errors, [&] { return deps_.cancel_open_orders(r.why); },
                                          halt_cancel_outcome{false, "unavailable", -1, 0, 0, "the cancel path threw", {}});
  if (cancel.ok)
    spdlog::critical("SAFE HALT: open orders: {}", cancel.detail);
  else
    fail("open orders NOT (all) cancelled: " + cancel.detail);
  update([&](safe_halt_report& x) {
    x.risk_notified = risk;
    x.order_lifecycle_notified = lifecycle;
    x.cancel = cancel;
    x.errors = errors;
  });
  r = *report();

  // 4. Page a human, straight to the sinks.
  auto a = safe_halt_alert(r, deps_.now());
  spdlog::critical("SAFE HALT ALERT: {} - {}", a.title, a.detail);
  halt_alert_outcome alerted;
  if (deps_.alert)
    alerted = guarded<halt_alert_outcome>("alert", errors, [&] { return deps_.alert(a); }, halt_alert_outcome{});
  if (!alerted.ok)
    fail("the safe-halt alert reached no sink (" + std::to_string(alerted.sinks) + " tried)");
  else if (!alerted.failures.empty())
    spdlog::error("SAFE HALT: alert delivered to {}/{} sink(s)", alerted.delivered, alerted.sinks);
  update([&](safe_halt_report& x) {
    x.alert = alerted;
    x.errors = errors;
    x.finished_at = deps_.now();
    if (x.finished_at == 0)
      x.finished_at = 1;  // complete() even under a stopped test clock
  });

  auto done = *report();
  if (deps_.record && !guarded<bool>("record", errors, [&] { deps_.record(done); return true; }, false)) {
    spdlog::error("SAFE HALT: recording the report failed: {}", errors.back());
    update([&](safe_halt_report& x) { x.errors = errors; });
  }
  spdlog::critical("SAFE HALT complete: persisted={} cancel={} ({}) alert={}/{} errors={}; the control socket and "
                   "metrics stay up; recover with `systemctl restart traderd`, then `traderctl resume safe_halt`",
                   done.persisted.ok, done.cancel.ok, done.cancel.path, done.alert.delivered, done.alert.sinks,
                   done.errors.size());
}

std::optional<safe_halt_report> safe_halt::report() const {
  std::lock_guard guard{mtx_};
  return report_;
}

json safe_halt::status_json() const {
  auto r = report();
  json out{{"halted", r.has_value()}};
  if (r)
    out["report"] = r->to_json();
  return out;
}

} // namespace trader::daemon
