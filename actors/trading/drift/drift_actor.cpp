#include "actors/trading/drift/drift_actor.hpp"

#include "actors/trading/drift/trip_tracker.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/metrics/actor_metrics.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <spdlog/spdlog.h>

namespace trader::drift {

namespace {

using json = nlohmann::json;
using drift_tick_atom = caf::atom_constant<caf::atom("dr_tick")>;  ///< internal: the poll timer

struct drift_stats {
  explicit drift_stats(const metrics::actor_metrics& m)
    : severity(m.gauges("severity", "Drift of each strategy against its baseline: 0 none, 1 warning, 2 critical.",
                        {{"strategy", {}}}, 32)),
      alerts(m.counters("alerts_total", "Drift alerts sent, by severity.", {{"severity", {"warning", "critical"}}}, 4)),
      trades(m.counter("trades_total", "Live round trips read off the ledger.")) {}
  metrics::labelled<prometheus::Gauge> severity;
  metrics::labelled<prometheus::Counter> alerts;
  prometheus::Counter& trades;
};

struct drift_state {
  options opts;
  core::registry* reg = nullptr;
  std::unique_ptr<drift_detector> detector;
  trip_tracker trips;
  std::unique_ptr<drift_stats> stats;
  static inline const char* name = names::drift;
};

using self_ptr = caf::stateful_actor<drift_state>*;

ts_ns now_of(self_ptr self) {
  return self->state.opts.now ? self->state.opts.now() : system_time_source::instance().wall_now();
}

void audit(self_ptr self, const char* kind, const json& j) {
  self->state.reg->send(self, names::audit, audit_entry{kind, names::drift, j.dump()});
}

void evaluate(self_ptr self, const portfolio_update& u) {
  auto& st = self->state;
  for (const auto& t : st.trips.on_portfolio(u)) {
    st.detector->on_trade(t.strategy, t.return_pct);
    if (st.stats)
      st.stats->trades.Increment();
    audit(self, "drift_trade",
          json{{"strategy", t.strategy}, {"product", t.product.value}, {"pnl", t.pnl}, {"return_pct", t.return_pct},
               {"closed_at", t.closed_at}});
  }
  const auto now = now_of(self);
  for (const auto& f : st.detector->evaluate(now)) {
    if (st.stats)
      st.stats->severity[f.strategy].Set(static_cast<double>(static_cast<int>(f.level)));
    if (f.disable)  // every evaluation while critical: a restarted strategies actor hears it again
      st.reg->send(self, names::strategies,
                   set_strategy_enabled{f.strategy, false, "critical drift against its backtest baseline", "drift"});
    if (!f.alert)
      continue;
    std::string detail;
    for (const auto& r : f.reasons)
      detail += (detail.empty() ? "" : "; ") + r;
    if (f.disable)
      detail += "; disable_on_critical: switched off until strategies restarts (set [strategies." + f.strategy +
                "] enabled = false to keep it off)";
    alert a;
    a.type = "strategy_drift";
    a.level = f.level == drift_severity::critical ? severity::critical : severity::warning;
    a.fingerprint = "strategy_drift:" + f.strategy;
    a.title = "Strategy " + f.strategy + " drifts from its backtest (" + std::string{name(f.level)} + ")";
    a.detail = detail;
    a.source = names::drift;
    a.ts = now;
    st.reg->send(self, names::alerting, a);
    if (st.stats)
      st.stats->alerts[std::string{name(f.level)}].Increment();
    audit(self, "drift", json{{"strategy", f.strategy}, {"severity", name(f.level)}, {"reasons", f.reasons},
                              {"disable", f.disable}, {"ks_d", f.ks_d}, {"ks_p", f.ks_p},
                              {"live_win_rate_pct", f.live.win_rate_pct}, {"base_win_rate_pct", f.base.win_rate_pct}});
    spdlog::warn("drift: {}: {}", a.title, detail);
  }
}

caf::behavior drift_impl(self_ptr self, core::registry* reg, options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.reg = reg;
  st.detector = std::make_unique<drift_detector>(st.opts.policy, st.opts.baselines);
  if (st.opts.metrics)
    st.stats = std::make_unique<drift_stats>(metrics::actor_metrics(*st.opts.metrics, names::drift));
  if (st.opts.enabled)
    self->send(self, drift_tick_atom::value);
  return {
    [=](drift_tick_atom) {
      self->delayed_send(self, self->state.opts.poll, drift_tick_atom::value);
      auto ol = self->state.reg->get(names::order_lifecycle);
      if (!ol)
        return;
      self->request(ol, std::chrono::seconds(10), get_portfolio{})
        .then([=](const portfolio_update& u) { evaluate(self, u); },
              [](caf::error& e) { spdlog::debug("drift: get_portfolio failed: {}", to_string(e)); });
    },
    [=](const get_drift&) {
      auto j = json::parse(self->state.detector->status_json());
      j["enabled"] = self->state.opts.enabled;
      j["baseline_file"] = self->state.opts.baseline_file;
      j["baseline_error"] = self->state.opts.baseline_error;
      return j.dump();
    },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_drift(caf::actor_system& sys, core::registry& reg, options opts) {
  return sys.spawn(drift_impl, &reg, std::move(opts));
}

} // namespace trader::drift
