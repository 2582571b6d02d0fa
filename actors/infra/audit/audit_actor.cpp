#include "actors/infra/audit/audit_actor.hpp"

#include "actors/infra/audit/audit_health.hpp"
#include "actors/infra/audit/decision_stream.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/audit_log.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace trader::audit {

namespace {

struct audit_state {
  std::shared_ptr<persistence::audit_log> log;
  audit_health health;
  std::unique_ptr<audit_metrics> stats;  ///< Null without a metrics registry.
  /// audit_unavailable while appends fail (level-triggered; sticky at risk).
  core::gate_reporter gate{names::audit};
  /// The decision stream's running hash since this actor started (docs/backtest.md "Replay").
  decision_chain decisions;
  static inline const char* name = names::audit;
};

using self_ptr = caf::stateful_actor<audit_state>*;

/// Fails closed on a failed append; resolves the alert after the outage.
void report(self_ptr self, core::registry& reg, const append_verdict& v) {
  auto now = system_time_source::instance().wall_now();
  auto& gate = self->state.gate;
  bool changed = self->state.health.failing() ? gate.set(gate_reason::audit_unavailable, v.detail)
                                              : gate.clear(gate_reason::audit_unavailable);
  if (changed || v.raise_gate)
    core::report_gate(self, reg, gate, now);
  if (v.alert || v.resolve_alert)
    reg.send(self, names::alerting,
             alert{"audit_unavailable", severity::critical, "audit_unavailable",
                   v.resolve_alert ? "audit log writable again" : "audit log unavailable",
                   v.resolve_alert ? "appends succeed again; resume the gate after checking the log" : v.detail,
                   names::audit, v.resolve_alert, now});
}

caf::behavior audit_impl(self_ptr self, core::registry* reg, std::shared_ptr<persistence::audit_log> log,
                         prometheus::Registry* metrics) {
  self->state.log = std::move(log);
  if (metrics)
    self->state.stats = std::make_unique<audit_metrics>(metrics::actor_metrics(*metrics, names::audit));
  core::start_gate_reassert(self);
  return {
    core::probe_handler(self),
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate; },
                              [] { return system_time_source::instance().wall_now(); }),
    [=](const audit_entry& e) {
      auto& st = self->state;
      auto payload = nlohmann::json::parse(e.payload_json, nullptr, false);
      if (payload.is_discarded() || !payload.is_object())
        payload = nlohmann::json{{"text", e.payload_json}};
      stamp_decision(st.decisions, e.kind, payload);
      auto r = st.log->append(e.kind, e.actor, payload, e.config_hash);
      if (!r)
        spdlog::critical("audit append failed kind={} actor={}: {}", e.kind, e.actor, r.error().describe());
      report(self, *reg, st.health.on_append(r));
      if (st.stats)
        st.stats->update(st.log->stats(), !st.health.failing());
    },
  };
}

} // namespace

caf::actor spawn_audit(caf::actor_system& sys, core::registry& reg, std::shared_ptr<persistence::audit_log> log,
                       prometheus::Registry* metrics) {
  return sys.spawn<caf::detached>(audit_impl, &reg, std::move(log), metrics);
}

} // namespace trader::audit
