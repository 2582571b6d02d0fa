#pragma once
// The trading gate: a set of closing reasons; open only when the set is empty. No CAF.
// Cancels are always allowed; orders that open or add risk only when open; reduce-only
// orders stay allowed while closed, except under the kill switch (cancels only) and under
// reasons that make the position itself uncertain.

#include "messages/gate.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::risk {

/// What an order would do to risk.
enum class order_effect { cancel, reduce_only, open_or_add };

/// Whether the gate lets an order through, and if not, which reason stopped it.
struct gate_decision {
  bool allowed = false;
  std::optional<gate_reason> blocking;  ///< Set when refused.
};

class trading_gate {
public:
  /// A gate that starts closed with `startup` (nothing is trusted before the first reconcile).
  static trading_gate closed_at_start(ts_ns now);

  /// Sets or clears one reason. Sticky reasons (see is_sticky) are not cleared by a signal:
  /// returns false and leaves them. Returns true if the set of reasons changed.
  bool apply(const gate_signal& s);
  /// Operator resume: clears sticky reasons too (kill switch, state_unavailable, safe_halt).
  bool resume(gate_reason r);

  bool is_open() const { return reasons_.empty(); }
  bool has(gate_reason r) const { return reasons_.count(r) != 0; }
  gate_decision check(order_effect e) const;
  std::vector<gate_reason_entry> reasons() const;
  gate_changed snapshot(ts_ns now) const;

  /// Reasons only an operator clears.
  static bool is_sticky(gate_reason r);
  /// Reasons under which even reduce-only orders are refused (position uncertain).
  static bool blocks_reduce_only(gate_reason r);

private:
  std::map<gate_reason, gate_reason_entry> reasons_;
};

} // namespace trader::risk

#include <functional>

namespace trader::risk {
/// Told about every gate change (and the initial gate), e.g. to update metrics. Thread-safe.
using gate_observer = std::function<void(const gate_changed&)>;
/// {"open":false,"reasons":[{"reason":"startup","detail":"…","since":"RFC3339"}]} for audit and control.
std::string gate_json(const gate_changed& g);
} // namespace trader::risk
