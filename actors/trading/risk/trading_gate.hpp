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

/// What an operator's resume did: cleared something, nothing to clear, or refused (why).
struct resume_result {
  bool changed = false;
  std::string refused;  ///< Non-empty: refused, and why (names the source and its detail).
};

/// The gate is level-triggered: every closing reason is held by a source, one entry per
/// (reason, source, product); a reason is active while any source holds it. Sources report
/// either events (gate_signal: raise or clear one entry) or their whole current set of
/// conditions (gate_conditions: what the set no longer holds is cleared). Sticky reasons are
/// never cleared by a source, only by an operator's resume; resume is refused while a source
/// still asserts the reason (reported within gate_assertion_fresh_ms), and `startup` is
/// refused until a reconcile has run unless forced.
class trading_gate {
public:
  /// A gate that starts closed with `startup` (nothing is trusted before the first reconcile).
  static trading_gate closed_at_start(ts_ns now);

  /// An event from s.source: raises (reason, source, product), or clears it (every product
  /// when s.product is empty). Sticky reasons are not cleared by a signal. True if the set
  /// of entries changed.
  bool apply(const gate_signal& s);
  /// c.source's whole current set: its non-sticky entries not in the set are cleared, sticky
  /// ones stay (no longer asserted); every listed condition is raised or refreshed and
  /// counts as asserted at c.ts. True if the set of entries changed.
  bool apply(const gate_conditions& c);
  /// Operator resume of every entry of r (see the class comment for when it is refused).
  resume_result resume(gate_reason r, bool force, ts_ns now);
  /// A reconcile completed: `resume startup` no longer needs force.
  void mark_reconciled() { reconciled_ = true; }
  bool reconciled() const { return reconciled_; }

  bool is_open() const { return entries_.empty(); }
  bool has(gate_reason r) const;
  /// Whether any source still asserts r (its last report, within gate_assertion_fresh_ms of now).
  bool asserted(gate_reason r, ts_ns now) const;
  gate_decision check(order_effect e) const;
  /// One entry per (reason, source, product), in reason order.
  std::vector<gate_reason_entry> reasons() const;
  gate_changed snapshot(ts_ns now) const;

  /// Reasons only an operator clears.
  static bool is_sticky(gate_reason r);
  /// Reasons under which even reduce-only orders are refused (position uncertain).
  static bool blocks_reduce_only(gate_reason r);
  /// Reasons a (re)started risk restores from the store: the sticky ones, and the events no
  /// source can re-assert (order_timeout, actor_lost_state: only a reconcile or an operator
  /// ends them). Everything else is rebuilt from what the sources report now.
  static bool survives_restart(gate_reason r);

private:
  struct key {
    gate_reason reason;
    std::string source;
    std::string product;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=> (fixed in 15).
    auto operator<=>(const key&) const = default;
  };
  struct entry {
    gate_reason_entry shown;
    bool held = false;     ///< Part of the source's last gate_conditions (a level, not an event).
    ts_ns asserted_at = 0;
  };
  /// The first entry of r whose source still asserts it (see asserted()), or null.
  const std::pair<const key, entry>* asserting(gate_reason r, ts_ns now) const;

  std::map<key, entry> entries_;
  bool reconciled_ = false;
};

} // namespace trader::risk

#include <functional>

namespace trader::risk {
/// Told about every gate change (and the initial gate), e.g. to update metrics. Thread-safe.
using gate_observer = std::function<void(const gate_changed&)>;
/// {"open":false,"reasons":[{"reason":"startup","detail":"…","since":"RFC3339"}]} for audit and control.
std::string gate_json(const gate_changed& g);
} // namespace trader::risk
