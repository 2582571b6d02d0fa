#include "actors/latency/latency_actor.hpp"

#include "actors/latency/latency_stats.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <map>

namespace trader::latency {

namespace {

using tick_atom = caf::atom_constant<caf::atom("lat_tick")>;

struct latency_state {
  std::unique_ptr<latency_tracker> tracker;
  std::unique_ptr<latency_stats> stats;
  std::shared_ptr<prometheus::Registry> metrics;  ///< Keeps the stats' registry alive.
  std::map<std::string, std::uint64_t> violations;  ///< Failed checks per key (bounded like the keys).
  static inline const char* name = "latency";
};

using self_ptr = caf::stateful_actor<latency_state>*;

std::int64_t mono(self_ptr self) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(self->clock().now().time_since_epoch()).count();
}

alert budget_alert(const std::string& key, std::string detail, bool resolved) {
  alert a;
  a.type = "latency_budget_violation";
  a.level = severity::warning;
  a.fingerprint = "latency_budget_violation:" + key;
  a.title = resolved ? "Latency back under budget: " + key : "Latency over budget: " + key;
  a.detail = std::move(detail);
  a.source = "latency";
  a.resolved = resolved;
  a.ts = system_time_source::instance().wall_now();
  return a;
}

void check(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto r = st.tracker->check(mono(self));
  for (const auto& v : r.violations) {
    ++st.violations[v.key];
    spdlog::warn("latency: {}", v.reason);
    reg.send(self, "alerting", budget_alert(v.key, v.reason, false));
  }
  for (const auto& key : r.recovered) {
    spdlog::info("latency: {} back under budget", key);
    reg.send(self, "alerting", budget_alert(key, "LATENCY_OK: key=" + key, true));
  }
  if (st.stats)
    st.stats->checked(r);
}

caf::behavior latency_impl(self_ptr self, core::registry* reg, options opts,
                           std::shared_ptr<prometheus::Registry> metrics) {
  auto& st = self->state;
  st.tracker = std::make_unique<latency_tracker>(opts.tracker);
  if (metrics) {
    st.metrics = metrics;
    st.stats = std::make_unique<latency_stats>(metrics::actor_metrics(*metrics, "latency"), opts.tracker.max_keys);
  }
  for (const auto& [key, b] : budgets_of(opts)) {
    st.tracker->set_budget(key, b);
    if (st.stats)
      st.stats->set_budget(key, b);
  }
  auto period = std::chrono::milliseconds(std::max<std::int64_t>(1, opts.check_interval_ms));
  self->delayed_send(self, period, tick_atom::value);
  return {
    [=](const latency_sample& s) {
      auto& st = self->state;
      st.tracker->record(s.endpoint, s.duration_ns, mono(self));
      if (st.stats)
        st.stats->observe(s.endpoint, s.duration_ns);
    },
    [=](latency_report_request) -> std::string {
      auto& st = self->state;
      return report_json(st.tracker->summaries(mono(self)), st.violations);
    },
    [=](tick_atom) {
      check(self, *reg);
      self->delayed_send(self, period, tick_atom::value);
    },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_latency(caf::actor_system& sys, core::registry& reg, options opts,
                         std::shared_ptr<prometheus::Registry> metrics) {
  return sys.spawn(latency_impl, &reg, std::move(opts), std::move(metrics));
}

} // namespace trader::latency
