#pragma once
// The trading gate: one authority (risk) decides whether new risk may be opened.

#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace trader {

/// Why the gate is closed. Each reason is set and cleared independently.
enum class gate_reason : std::uint8_t {
  kill_switch,
  daily_stop,
  weekly_stop,
  max_drawdown,
  stale_data,
  sequence_gap,
  product_degraded,
  api_error_burst,
  clock_skew,
  reconcile_pending,
  state_unavailable,   ///< Store cannot be trusted; stays until an operator resumes.
  actor_lost_state,    ///< An actor owning orders/fills/positions died.
  order_timeout,       ///< An order request timed out; the order may or may not exist.
  user_stream_gap,
  safe_halt,           ///< Root supervisor gave up.
  audit_unavailable,   ///< An audit append failed: decisions cannot be recorded; operator resumes.
  startup,             ///< Closed until the first reconcile after start.
  crash_regime,        ///< The market regime detector sees a crash: no new risk, exits allowed.
  operator_halt,       ///< `traderctl halt`: closed by hand until `traderctl resume operator_halt`.
};
/// The last enumerator (for loops over every reason, e.g. metrics).
inline constexpr gate_reason last_gate_reason = gate_reason::operator_halt;

/// An event for risk: set (active) or clear one gate reason from one source. Used for
/// one-off events (an operator's kill, an unresolved order create, the safe-halt hook);
/// conditions that hold for a while are reported as gate_conditions instead.
struct gate_signal {
  gate_reason reason = gate_reason::startup;
  bool active = true;
  std::string detail;
  std::string source;   ///< Actor that raised it.
  ts_ns ts = 0;
  std::string product;  ///< Empty: not about one product (a clear then covers every product).
};

/// One condition a source holds now.
struct gate_condition {
  gate_reason reason = gate_reason::startup;
  std::string product;  ///< Empty: not about one product.
  std::string detail;
};

/// A fact from one source: every condition it holds *now* (empty: none). It replaces what
/// that source reported before, so a lost message is repaired by the next one. Sources send
/// it on every change, every gate_reassert_interval, and when risk asks (report_gate_conditions).
struct gate_conditions {
  std::string source;
  std::vector<gate_condition> active;
  ts_ns ts = 0;
};

/// risk → every source when it (re)starts; a source also sends it to itself with
/// `periodic` set as its re-assert timer. Answer: gate_conditions → risk.
struct report_gate_conditions {
  bool periodic = false;
};

/// How often a source re-asserts its conditions, and how long an assertion counts as
/// current for an operator's resume (risk refuses to resume a reason still asserted).
inline constexpr std::int64_t gate_reassert_interval_ms = 5000;
inline constexpr std::int64_t gate_assertion_fresh_ms = 3 * gate_reassert_interval_ms;

/// One active reason with when and why; one entry per (reason, source, product).
struct gate_reason_entry {
  gate_reason reason = gate_reason::startup;
  std::string detail;
  ts_ns since = 0;
  std::string source;   ///< Who holds it ("store" for a reason restored from the store).
  std::string product;  ///< Empty: not about one product.
};

/// A fact: the gate's state after a change. risk → everyone interested.
struct gate_changed {
  bool open = false;
  std::vector<gate_reason_entry> reasons;
  ts_ns ts = 0;
};

/// A request to risk: answer with the current gate_changed snapshot.
struct get_gate {};

/// An operator instruction to risk: clear one reason, sticky ones included (audited).
/// Refused (an error naming the source and its detail) while a source still asserts the
/// reason; `startup` is refused until a reconcile has run unless `force` is set.
struct resume_gate {
  gate_reason reason = gate_reason::startup;
  std::string by;  ///< Who asked, e.g. "uid=1000".
  bool force = false;
};

/// A request to risk: raise a sticky reason and answer (gate_changed) only once the gate
/// holding it is durable in the store; an error if it could not be persisted (the reason
/// stays raised in memory either way).
struct raise_gate {
  gate_signal signal;
};

/// A request to state: persist this gate now and answer once it is durable.
struct persist_gate {
  gate_changed gate;
};

// -- inspection ---------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_signal& x) {
  return f(caf::meta::type_name("gate_signal"), x.reason, x.active, x.detail, x.source, x.ts, x.product);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_condition& x) {
  return f(caf::meta::type_name("gate_condition"), x.reason, x.product, x.detail);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_conditions& x) {
  return f(caf::meta::type_name("gate_conditions"), x.source, x.active, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, report_gate_conditions& x) {
  return f(caf::meta::type_name("report_gate_conditions"), x.periodic);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_reason_entry& x) {
  return f(caf::meta::type_name("gate_reason_entry"), x.reason, x.detail, x.since, x.source, x.product);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_changed& x) {
  return f(caf::meta::type_name("gate_changed"), x.open, x.reasons, x.ts);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_gate&) {
  return f(caf::meta::type_name("get_gate"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resume_gate& x) {
  return f(caf::meta::type_name("resume_gate"), x.reason, x.by, x.force);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, raise_gate& x) {
  return f(caf::meta::type_name("raise_gate"), x.signal);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, persist_gate& x) {
  return f(caf::meta::type_name("persist_gate"), x.gate);
}

} // namespace trader
