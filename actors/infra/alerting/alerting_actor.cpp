#include "actors/infra/alerting/alerting_actor.hpp"

#include "actors/infra/alerting/alert_dispatcher.hpp"
#include "actors/infra/alerting/alert_engine.hpp"
#include "actors/infra/alerting/alerting_stats.hpp"
#include "actors/infra/alerting/delivery_worker.hpp"
#include "actors/infra/alerting/net_alert_transport.hpp"
#include "messages/names.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace trader::alerting {

namespace {

using tick_atom = caf::atom_constant<caf::atom("al_tick")>;
using keys_atom = caf::atom_constant<caf::atom("al_keys")>;

spdlog::level::level_enum level_of(severity s) {
  switch (s) {
    case severity::info: return spdlog::level::info;
    case severity::warning: return spdlog::level::warn;
    case severity::critical: return spdlog::level::critical;
  }
  return spdlog::level::critical;
}

/// Sink names and kinds for the start/reload log line (no URLs: they may carry tokens).
std::string describe(const std::vector<sink_config>& sinks) {
  std::string out;
  for (const auto& s : sinks)
    out += (out.empty() ? "" : ", ") + s.name + (s.escalation_only ? " (escalations only)" : "");
  return out;
}

// Members are destroyed in reverse order: the worker (whose callbacks use stats and the
// dispatcher) stops first.
struct alerting_state {
  alert_type_registry types;
  alerting_options opts;
  const time_source* clock = nullptr;
  std::shared_ptr<prometheus::Registry> own_registry;  // when deps.metrics is null
  std::unique_ptr<alerting_stats> stats;
  std::shared_ptr<alert_transport> transport;
  std::unique_ptr<alert_engine> engine;
  std::unique_ptr<alert_dispatcher> dispatcher;
  std::unique_ptr<delivery_worker> worker;
  static inline const char* name = names::alerting;

  engine_config engine_config_of(const alerting_options& o) const {
    auto cfg = o.engine;
    cfg.sinks = routes_of(o.sinks);
    return cfg;
  }
  void log_setup(const char* when) const {
    spdlog::info("alerting {}: sinks {}; dedupe {} s, escalation after {} s", when, describe(opts.sinks),
                 std::chrono::duration_cast<std::chrono::seconds>(opts.engine.dedupe_window).count(),
                 std::chrono::duration_cast<std::chrono::seconds>(opts.engine.escalation_after).count());
    for (const auto& p : opts.problems)
      spdlog::warn("alerting: {}", p);
  }
  /// Hands notifications to the dispatcher and wakes the delivery thread.
  void deliver(const std::vector<notification>& out) {
    if (out.empty())
      return;
    dispatcher->submit(out);
    worker->notify();
  }
  void sync() { stats->sync(*engine, dispatcher->queue()); }
};

using alerting_actor = caf::stateful_actor<alerting_state>;

void handle_alert(alerting_actor* self, core::registry* reg, alert a) {
  auto& st = self->state;
  reg->send(self, names::audit,
            audit_entry{"alert", a.source,
                        nlohmann::json{{"type", a.type},
                                       {"severity", std::string{to_string(a.level)}},
                                       {"fingerprint", a.fingerprint},
                                       {"title", a.title},
                                       {"detail", a.detail},
                                       {"resolved", a.resolved}}
                          .dump()});
  st.stats->raised(a);
  st.deliver(st.engine->raise(std::move(a)));
  st.sync();
}

/// Key ages against the rotation policy: the gauge, then an alert (or the resolve of one).
void check_keys(alerting_actor* self, core::registry* reg) {
  auto& st = self->state;
  auto now = st.clock->wall_now();
  for (const auto& k : st.opts.keys) {
    auto v = check_secret_age(k.name, k.created, now, st.opts.rotation);
    if (v.status == rotation_status::unknown)
      continue;
    st.stats->secret_age[k.name].Set(static_cast<double>(now - k.created) / 1e9);
    auto a = rotation_alert(k.name, v, now);
    if (!a)
      continue;
    if (a->resolved) {
      auto active = st.engine->active();
      if (std::none_of(active.begin(), active.end(),
                       [&](const active_alert& e) { return e.last.fingerprint == a->fingerprint; }))
        continue;  // nothing to resolve: do not audit a no-op twice a day
    }
    handle_alert(self, reg, std::move(*a));
  }
}

caf::behavior alerting_impl(alerting_actor* self, core::registry* reg, alerting_options opts, alerting_deps deps) {
  auto& st = self->state;
  add_builtin_types(st.types);
  st.opts = std::move(opts);
  st.clock = deps.clock ? deps.clock : &system_time_source::instance();
  const auto* delivery_clock = deps.delivery_clock ? deps.delivery_clock : &system_time_source::instance();
  if (!deps.metrics)
    st.own_registry = std::make_shared<prometheus::Registry>();
  st.stats = std::make_unique<alerting_stats>(
    metrics::actor_metrics(deps.metrics ? *deps.metrics : *st.own_registry, names::alerting));
  st.transport = deps.transport ? deps.transport : std::make_shared<net_alert_transport>();
  st.engine = std::make_unique<alert_engine>(st.types, st.engine_config_of(st.opts), *st.clock);
  auto* stats = st.stats.get();
  st.dispatcher = std::make_unique<alert_dispatcher>(
    st.opts.sinks, st.opts.retry, *st.transport, *delivery_clock,
    [](severity s, const std::string& line) { spdlog::log(level_of(s), "ALERT {}", line); },
    [stats](const std::string& sink, std::string_view result) { stats->attempt(sink, result); });
  st.worker = std::make_unique<delivery_worker>(*st.dispatcher, *delivery_clock, st.opts.request_timeout);
  st.worker->start();
  st.log_setup("started");
  check_keys(self, reg);
  self->delayed_send(self, st.opts.tick_interval, tick_atom::value);
  self->delayed_send(self, st.opts.rotation_check_interval, keys_atom::value);
  auto reload = std::move(deps.reload);
  return {
    core::probe_handler(self),
    [=](alert& a) { handle_alert(self, reg, std::move(a)); },
    [=](const alert_test& t) -> std::int64_t {
      auto& st = self->state;
      auto out = st.engine->test(t.by);
      spdlog::warn("alert test requested by {}: {} staging notification(s)", t.by, out.size());
      audit_entry entry{"operator", names::alerting, nlohmann::json{{"alert_test", t.by}}.dump()};
      reg->send(self, names::audit, std::move(entry));
      st.deliver(out);
      st.sync();
      return static_cast<std::int64_t>(out.size());
    },
    [=](const alert_ack& a) -> bool {
      auto& st = self->state;
      std::vector<notification> out;
      bool known = st.engine->acknowledge(a.fingerprint, a.by, out);
      reg->send(self, names::audit,
                audit_entry{"operator", names::alerting,
                            nlohmann::json{{"alert_ack", a.fingerprint}, {"by", a.by}, {"known", known}}.dump()});
      st.deliver(out);
      st.sync();
      return known;
    },
    [=](const config_changed& c) {
      auto& st = self->state;
      bool ours = std::any_of(c.sections.begin(), c.sections.end(),
                              [](const std::string& s) { return s.rfind("alerts", 0) == 0; });
      if (!ours || !reload)
        return;
      auto next = reload();
      // Timers and the retry policy are the actor's own; only what [alerts] says changes.
      st.opts.sinks = std::move(next.sinks);
      st.opts.engine = next.engine;
      st.opts.keys = std::move(next.keys);
      st.opts.problems = std::move(next.problems);
      st.engine->reconfigure(st.engine_config_of(st.opts));
      st.dispatcher->set_sinks(st.opts.sinks);
      st.log_setup("reconfigured");
      check_keys(self, reg);
    },
    [=](tick_atom) {
      auto& st = self->state;
      st.deliver(st.engine->tick());
      st.sync();
      self->delayed_send(self, st.opts.tick_interval, tick_atom::value);
    },
    [=](keys_atom) {
      check_keys(self, reg);
      self->delayed_send(self, self->state.opts.rotation_check_interval, keys_atom::value);
    },
  };
}

} // namespace

caf::actor spawn_alerting(caf::actor_system& sys, core::registry& reg, alerting_options opts, alerting_deps deps) {
  return sys.spawn(alerting_impl, &reg, std::move(opts), std::move(deps));
}

} // namespace trader::alerting
