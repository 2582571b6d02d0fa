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
};

/// An instruction/fact for risk: set (active) or clear one gate reason.
struct gate_signal {
  gate_reason reason = gate_reason::startup;
  bool active = true;
  std::string detail;
  std::string source;  ///< Actor that raised it.
  ts_ns ts = 0;
};

/// One active reason with when and why.
struct gate_reason_entry {
  gate_reason reason = gate_reason::startup;
  std::string detail;
  ts_ns since = 0;
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
struct resume_gate {
  gate_reason reason = gate_reason::startup;
  std::string by;  ///< Who asked, e.g. "uid=1000".
};

// -- inspection ---------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_signal& x) {
  return f(caf::meta::type_name("gate_signal"), x.reason, x.active, x.detail, x.source, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gate_reason_entry& x) {
  return f(caf::meta::type_name("gate_reason_entry"), x.reason, x.detail, x.since);
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
  return f(caf::meta::type_name("resume_gate"), x.reason, x.by);
}

} // namespace trader
