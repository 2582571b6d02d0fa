#include "actors/infra/audit/audit_health.hpp"

namespace trader::audit {

append_verdict audit_health::on_append(const persistence::result<std::uint64_t>& r) {
  append_verdict v;
  if (r.ok()) {
    v.resolve_alert = failing_;
    failing_ = false;
    return v;
  }
  v.detail = "audit log append failed: " + r.error().describe();
  v.raise_gate = true;
  v.alert = !failing_;
  failing_ = true;
  return v;
}

audit_metrics::audit_metrics(const metrics::actor_metrics& m)
  : appended(m.counter("events_total", "Audit events appended to the JSONL log.")),
    failed(m.counter("append_failures_total", "Audit appends that failed (the gate closes: audit_unavailable).")),
    last_seq(m.gauge("last_seq", "seq of the newest audit line.")),
    healthy(m.gauge("healthy", "1 while audit appends succeed, 0 after a failed one until the next good one.")) {
  healthy.Set(1);
}

void audit_metrics::update(const persistence::audit_stats& s, bool healthy_now) {
  if (s.appended > seen_.appended)
    appended.Increment(static_cast<double>(s.appended - seen_.appended));
  if (s.failed > seen_.failed)
    failed.Increment(static_cast<double>(s.failed - seen_.failed));
  seen_ = s;
  last_seq.Set(static_cast<double>(s.last_seq));
  healthy.Set(healthy_now ? 1 : 0);
}

} // namespace trader::audit
