#include "actors/exchange/rate_limiter/rate_limiter_actor.hpp"

#include "actors/exchange/rate_limiter/rate_limiter_stats.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "actors/exchange/rate_limiter/error_burst.hpp"
#include "actors/exchange/rate_limiter/limiter.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <optional>
#include <unordered_map>

namespace trader::rate_limiter {

namespace {

using wake_atom = caf::atom_constant<caf::atom("rl_wake")>;
using tick_atom = caf::atom_constant<caf::atom("rl_tick")>;

/// Metrics refresh and recovery steps happen at least this often.
constexpr auto tick_period = std::chrono::seconds(1);

struct limiter_state {
  std::unique_ptr<rate_limit::limiter> core;
  std::unique_ptr<rate_limit::error_burst> burst;  ///< API error bursts across every endpoint actor.
  std::unique_ptr<rate_limiter_stats> stats;
  std::unordered_map<std::uint64_t, caf::response_promise> pending;
  std::uint64_t next_id = 0;
  std::uint64_t wake_gen = 0;           ///< Timers cannot be cancelled: a stale wake is ignored.
  std::optional<std::int64_t> wake_at;  ///< When the live wake fires (monotonic ns).
  core::gate_reporter gate{names::rate_limiter};  ///< api_error_burst while a burst lasts
  static inline const char* name = names::rate_limiter;
};

using self_ptr = caf::stateful_actor<limiter_state>*;

/// CAF's clock (virtual under the deterministic scheduler), as monotonic ns.
std::int64_t mono(self_ptr self) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(self->clock().now().time_since_epoch()).count();
}

ts_ns wall() { return system_time_source::instance().wall_now(); }

alert make_rate_alert(const rate_limit::limiter_event& e, bool resolved) {
  alert a;
  a.type = "api_rate_limit";
  a.level = severity::warning;
  auto group = std::string(rate_limit::to_string(e.group));
  bool episode = e.kind == rate_limit::event_kind::paused || e.kind == rate_limit::event_kind::restored;
  a.fingerprint = "api_rate_limit:" + group + (episode ? ":429" : ":use");
  a.title = episode ? (resolved ? "Exchange rate limit recovered (" + group + ")"
                                : "Exchange answered 429 (" + group + "): paused and tightened")
                    : (resolved ? "Request rate back to normal (" + group + ")"
                                : "Request rate near the exchange limit (" + group + ")");
  a.detail = e.detail;
  a.source = names::rate_limiter;
  a.resolved = resolved;
  a.ts = wall();
  return a;
}

void publish_events(self_ptr self, core::registry& reg) {
  for (auto& e : self->state.core->take_events()) {
    switch (e.kind) {
      case rate_limit::event_kind::warn:
        spdlog::warn("rate_limiter: {}", e.detail);
        reg.send(self, names::alerting, make_rate_alert(e, false));
        break;
      case rate_limit::event_kind::warn_cleared:
        spdlog::info("rate_limiter: {}", e.detail);
        reg.send(self, names::alerting, make_rate_alert(e, true));
        break;
      case rate_limit::event_kind::paused:
        spdlog::warn("rate_limiter: {}", e.detail);
        reg.send(self, names::alerting, make_rate_alert(e, false));
        break;
      case rate_limit::event_kind::recovering:
        spdlog::info("rate_limiter: {}", e.detail);
        break;
      case rate_limit::event_kind::restored:
        spdlog::info("rate_limiter: {}", e.detail);
        reg.send(self, names::alerting, make_rate_alert(e, true));
        break;
    }
  }
}

/// Grants and times out what the core allows now, publishes events and metrics, and makes
/// sure a wake-up is pending for the next moment something can change.
void pump(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto now = mono(self);
  auto r = st.core->poll(now);
  for (auto& g : r.granted) {
    auto it = st.pending.find(g.id);
    if (it == st.pending.end())
      continue;
    it->second.deliver(permit_grant{g.waited_ns});
    st.pending.erase(it);
  }
  for (auto id : r.timed_out) {
    auto it = st.pending.find(id);
    if (it == st.pending.end())
      continue;
    it->second.deliver(make_error(errc::timeout, "RATE_LIMIT_TIMEOUT: no permit within max_wait_ms"));
    st.pending.erase(it);
  }
  publish_events(self, reg);
  if (st.stats)
    st.stats->sync(*st.core, now);
  auto next = st.core->next_wake(now);
  if (next && (!st.wake_at || *next < *st.wake_at)) {
    st.wake_at = *next;
    self->delayed_send(self, std::chrono::nanoseconds(*next - now), wake_atom::value, ++st.wake_gen);
  }
}

std::string status_json(self_ptr self) {
  auto& core = *self->state.core;
  auto now = mono(self);
  nlohmann::json j;
  for (auto g : {endpoint_group::public_rest, endpoint_group::private_rest, endpoint_group::ws_connect}) {
    auto v = core.view(g, now);
    j["groups"][std::string(rate_limit::to_string(g))] = {
      {"tokens", v.tokens},     {"hour_tokens", v.hour_tokens}, {"rate_per_s", v.rate_per_s},
      {"rate_factor", v.rate_factor}, {"use", v.use},           {"paused", v.paused},
      {"queued", v.queued},     {"warned", v.warned}};
  }
  j["endpoints"] = nlohmann::json::object();
  for (const auto& [ep, s] : core.endpoints())
    j["endpoints"][ep] = {{"requests", s.requests}, {"granted", s.granted},   {"throttled", s.throttled},
                          {"held", s.held},         {"timeouts", s.timeouts}, {"rate_limited", s.rate_limited},
                          {"errors", s.errors},     {"wait_ms_max", s.wait_ns_max / 1'000'000}};
  return j.dump();
}

/// An API error burst began (or ended): gate reason api_error_burst for risk, a CRITICAL
/// alert (or its resolve) for alerting.
void tell_burst(self_ptr self, core::registry& reg, bool active) {
  auto text = self->state.burst->describe();
  if (active)
    spdlog::error("rate_limiter: API error burst: {}", text);
  else
    spdlog::warn("rate_limiter: API error burst over");
  if (self->state.gate.update(gate_reason::api_error_burst, active, text))
    core::report_gate(self, reg, self->state.gate, wall());
  alert a;
  a.type = "api_error_burst";
  a.level = severity::critical;
  a.fingerprint = "api_error_burst";
  a.title = active ? "exchange API error burst: new risk stopped" : "exchange API error burst over";
  a.detail = text;
  a.source = names::rate_limiter;
  a.resolved = !active;
  a.ts = wall();
  reg.send(self, names::alerting, a);
}

caf::behavior rate_limiter_impl(self_ptr self, core::registry* reg, rate_limit::options opts,
                                prometheus::Registry* metrics) {
  auto& st = self->state;
  auto valid = rate_limit::validate(opts);
  if (!valid)
    spdlog::error("rate_limiter: invalid options, using defaults:\n{}", valid.error());
  auto max_endpoints = opts.max_endpoints;
  auto forward_latency = opts.forward_latency;
  st.burst = std::make_unique<rate_limit::error_burst>(opts.max_api_errors, opts.api_error_window_ns);
  st.core = std::make_unique<rate_limit::limiter>(valid ? opts : rate_limit::options{}, mono(self));
  st.stats = std::make_unique<rate_limiter_stats>(metrics::actor_metrics(*metrics, names::rate_limiter), max_endpoints);
  self->delayed_send(self, tick_period, tick_atom::value);
  // Stopping (restart, shutdown): answer every queued permit with an error now. A CAF 0.17
  // response promise dropped with the state sends nothing, and the endpoint actor waiting
  // for it would sit out its whole permit timeout (6 s) inside a blocking call.
  self->set_exit_handler([=](caf::exit_msg& m) {
    auto& st = self->state;
    for (auto& [id, promise] : st.pending)
      promise.deliver(make_error(errc::actor_unavailable, "rate_limiter stopping: no permit"));
    st.pending.clear();
    self->quit(m.reason);
  });
  core::start_gate_reassert(self);
  return {
    [=](const permit_request& r) -> caf::result<permit_grant> {
      auto& st = self->state;
      auto id = ++st.next_id;
      auto res = st.core->admit(id, r.group, r.priority, r.endpoint, r.max_wait_ms * 1'000'000, mono(self));
      if (!res.queued) {
        if (st.stats)
          st.stats->sync(*st.core, mono(self));
        return make_error(errc::busy, res.reason);
      }
      st.pending.emplace(id, self->make_response_promise());
      pump(self, *reg);
      return caf::delegated<permit_grant>();
    },
    [=](const call_outcome& o) {
      auto& st = self->state;
      st.core->outcome(o.group, o.endpoint, o.http_status, o.retry_after_ms, mono(self));
      auto change = st.burst->record(o.endpoint, o.http_status, mono(self));
      if (st.stats) {
        if (rate_limit::is_api_error(o.http_status))
          st.stats->api_errors[o.endpoint].Increment();
        st.stats->consecutive_errors[o.endpoint].Set(st.burst->consecutive(o.endpoint));
      }
      if (change)
        tell_burst(self, *reg, *change);
      if (forward_latency && o.latency_ns > 0) {
        auto prefix = o.group == endpoint_group::ws_connect ? "ws:" : "rest:";
        bool ok = o.http_status >= 200 && o.http_status < 400;
        reg->send(self, names::latency, latency_sample{prefix + o.endpoint, o.latency_ns, ok, o.ts ? o.ts : wall()});
      }
      pump(self, *reg);
    },
    [=](wake_atom, std::uint64_t gen) {
      auto& st = self->state;
      if (gen != st.wake_gen)
        return;  // superseded by an earlier wake-up
      st.wake_at.reset();
      pump(self, *reg);
    },
    [=](tick_atom) {
      if (self->state.burst->tick(mono(self)))
        tell_burst(self, *reg, false);
      pump(self, *reg);
      self->delayed_send(self, tick_period, tick_atom::value);
    },
    [=](caf::get_atom) -> std::string { return status_json(self); },
    core::probe_handler(self),
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate; },
                              wall),
  };
}

} // namespace

caf::actor spawn_rate_limiter(caf::actor_system& sys, core::registry& reg, rate_limit::options opts,
                              prometheus::Registry& metrics) {
  return sys.spawn(rate_limiter_impl, &reg, opts, &metrics);
}

} // namespace trader::rate_limiter
