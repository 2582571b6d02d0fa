#pragma once
// The audit actor's fail-closed logic and metrics, without CAF. An append that fails
// (open, write or fdatasync of the JSONL file) closes the trading gate with the sticky
// reason audit_unavailable — decisions that cannot be recorded must not be made — and
// pages once per outage; the next good append resolves the alert (the gate stays closed
// until an operator has looked: `traderctl resume audit_unavailable`).

#include "runtime/metrics/actor_metrics.hpp"
#include "runtime/persistence/audit_log.hpp"

#include <string>

namespace trader::audit {

/// What to send after one append.
struct append_verdict {
  bool raise_gate = false;      ///< gate_signal{audit_unavailable, active} → risk (every failure).
  bool alert = false;           ///< CRITICAL audit_unavailable → alerting (first failure of an outage).
  bool resolve_alert = false;   ///< The outage is over: resolve that alert.
  std::string detail;           ///< The failure, for both.
};

/// Tracks outages of the audit log.
class audit_health {
public:
  /// After an append: ok, or the error that failed it.
  append_verdict on_append(const persistence::result<std::uint64_t>& r);
  /// True between a failed append and the next good one.
  bool failing() const { return failing_; }

private:
  bool failing_ = false;
};

/// trader_audit_* series (docs/metrics.md).
struct audit_metrics {
  explicit audit_metrics(const metrics::actor_metrics& m);
  prometheus::Counter& appended;  ///< events_total: lines appended.
  prometheus::Counter& failed;    ///< append_failures_total: appends that failed.
  prometheus::Gauge& last_seq;    ///< last_seq: seq of the newest line.
  prometheus::Gauge& healthy;     ///< healthy: 1 while appends succeed.

  /// Brings the series up to the log's counters.
  void update(const persistence::audit_stats& s, bool healthy_now);

private:
  persistence::audit_stats seen_;
};

} // namespace trader::audit
