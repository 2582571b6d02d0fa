#include "actors/exchange/clock/clock_actor.hpp"

#include "actors/exchange/clock/clock_stats.hpp"
#include "actors/exchange/clock/skew_policy.hpp"
#include "actors/exchange/common/endpoint_support.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/subscribers.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace trader::clock {

namespace {

using probe_tick_atom = caf::atom_constant<caf::atom("clk_tick")>;

struct clock_state {
  exchange::rest_endpoint ep;
  skew_policy policy;
  int probes = 3;
  std::chrono::milliseconds period{};
  core::subscribers subscribers;
  std::unique_ptr<clock_stats> stats;
  bool exceeded = false;  ///< the gate reason / alert we raised is active
  core::gate_reporter gate{names::clock};  ///< clock_skew while exceeded
  static inline const char* name = names::clock;
};

using self_ptr = caf::stateful_actor<clock_state>*;

clock_sample measure(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  std::vector<time_probe> probes;
  std::string last_error;
  for (int i = 0; i < st.probes; ++i) {
    auto r = st.ep.rest->server_time();
    if (!r) {
      last_error = r.error().describe();
      continue;
    }
    probes.push_back(time_probe{r->local_send, r->server, r->local_recv, ns_per_ms});
  }
  auto verdict = evaluate(probes, st.policy);
  if (st.stats)
    st.stats->update(verdict);
  auto now = st.ep.rest->now();
  clock_sample s;
  if (verdict.estimate) {
    s.offset_ns = verdict.estimate->offset_ns;
    s.rtt_ns = verdict.estimate->rtt_ns;
    s.uncertainty_ns = verdict.estimate->uncertainty_ns;
  }
  s.within_limit = verdict.live_allowed();
  s.reason = verdict.reason;
  if (probes.empty() && !last_error.empty())
    s.reason = "CLOCK_UNRELIABLE: no probe answered: " + last_error;
  s.ts = now;
  st.subscribers.publish(self, s);
  bool exceeded = verdict.status == skew_status::exceeded;
  bool ok = verdict.status == skew_status::ok;
  // An unreliable measurement changes nothing: it can neither prove nor clear a skew.
  if ((exceeded && !st.exceeded) || (ok && st.exceeded)) {
    st.exceeded = exceeded;
    spdlog::warn("clock: {}", exceeded ? s.reason : "skew back within the limit");
    if (st.gate.update(gate_reason::clock_skew, exceeded, s.reason))
      core::report_gate(self, reg, st.gate, now);
    alert a;
    a.type = "clock_skew";
    a.level = severity::warning;
    a.fingerprint = "clock_skew";
    a.title = exceeded ? "Clock skew above the limit" : "Clock skew back within the limit";
    a.detail = s.reason;
    a.source = names::clock;
    a.resolved = !exceeded;
    a.ts = now;
    reg.send(self, names::alerting, std::move(a));
  } else if (!ok && !exceeded) {
    spdlog::warn("clock: {}", s.reason);
  }
  return s;
}

caf::behavior clock_impl(self_ptr self, core::registry* reg, const exchange::endpoint_options& opts) {
  auto& st = self->state;
  st.ep = exchange::make_rest_endpoint(self->system(), *reg, names::clock, opts);
  st.policy.max_skew_ns = opts.max_skew_ms * ns_per_ms;
  st.probes = std::max(1, opts.clock_probes);
  st.period = opts.clock_probe_interval;
  if (opts.metrics)
    st.stats = std::make_unique<clock_stats>(metrics::actor_metrics(*opts.metrics, names::clock));
  st.subscribers.remove_on_down(self);
  self->send(self, probe_tick_atom::value);  // measure right after start
  core::start_gate_reassert(self);
  return {
    [=](probe_tick_atom) {
      measure(self, *reg);
      self->delayed_send(self, self->state.period, probe_tick_atom::value);
    },
    [=](measure_clock) -> clock_sample { return measure(self, *reg); },
    [=](const subscribe_feed&) -> subscribed {
      self->state.subscribers.add_sender(self);
      return subscribed{};
    },
    core::probe_handler(self),
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate; },
                              [] { return system_time_source::instance().wall_now(); }),
  };
}

} // namespace

caf::actor spawn_clock(caf::actor_system& sys, core::registry& reg, exchange::endpoint_options opts) {
  return sys.spawn<caf::detached>(clock_impl, &reg, std::move(opts));
}

} // namespace trader::clock
