#include "actors/alerting/alerting_actor.hpp"

#include "actors/alerting/alert_dispatcher.hpp"
#include "actors/alerting/alert_engine.hpp"
#include "messages/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace trader::alerting {

namespace {

using tick_atom = caf::atom_constant<caf::atom("al_tick")>;

/// Refuses every network delivery: only the log sink is configured in this build.
class no_network_transport final : public alert_transport {
public:
  transport_result post(const outbound_request&, std::chrono::milliseconds) override {
    return transport_result{false, 0, "no network sinks configured", true};
  }
};

spdlog::level::level_enum level_of(severity s) {
  switch (s) {
    case severity::info: return spdlog::level::info;
    case severity::warning: return spdlog::level::warn;
    case severity::critical: return spdlog::level::critical;
  }
  return spdlog::level::critical;
}

struct alerting_state {
  alert_type_registry types;
  no_network_transport transport;
  std::unique_ptr<alert_engine> engine;
  std::unique_ptr<alert_dispatcher> dispatcher;
  static inline const char* name = "alerting";
};

caf::behavior alerting_impl(caf::stateful_actor<alerting_state>* self, core::registry* reg) {
  auto& st = self->state;
  add_builtin_types(st.types);
  std::vector<sink_config> sinks{sink_config{"log", sink_kind::log}};
  engine_config ecfg;
  ecfg.sinks = routes_of(sinks);
  auto& clock = system_time_source::instance();
  st.engine = std::make_unique<alert_engine>(st.types, ecfg, clock);
  st.dispatcher = std::make_unique<alert_dispatcher>(
    sinks, retry_policy{}, st.transport, clock,
    [](severity s, const std::string& line) { spdlog::log(level_of(s), "ALERT {}", line); });
  self->delayed_send(self, std::chrono::seconds(10), tick_atom::value);
  return {
    [=](alert& a) {
      auto& st = self->state;
      reg->send(self, "audit",
                audit_entry{"alert", a.source,
                            nlohmann::json{{"type", a.type},
                                           {"severity", std::string{to_string(a.level)}},
                                           {"fingerprint", a.fingerprint},
                                           {"title", a.title},
                                           {"detail", a.detail},
                                           {"resolved", a.resolved}}
                              .dump()});
      st.dispatcher->submit(st.engine->raise(std::move(a)));
    },
    [=](const alert_test& t) -> std::int64_t {
      auto& st = self->state;
      auto out = st.engine->test(t.by);
      spdlog::warn("alert test requested by {}: {} staging notification(s)", t.by, out.size());
      reg->send(self, "audit", audit_entry{"operator", "alerting", nlohmann::json{{"alert_test", t.by}}.dump()});
      st.dispatcher->submit(out);
      return static_cast<std::int64_t>(out.size());
    },
    [=](const alert_ack& a) -> bool {
      auto& st = self->state;
      std::vector<notification> out;
      bool known = st.engine->acknowledge(a.fingerprint, a.by, out);
      reg->send(self, "audit",
                audit_entry{"operator", "alerting",
                            nlohmann::json{{"alert_ack", a.fingerprint}, {"by", a.by}, {"known", known}}.dump()});
      st.dispatcher->submit(out);
      return known;
    },
    [=](tick_atom) {
      auto& st = self->state;
      st.dispatcher->submit(st.engine->tick());
      self->delayed_send(self, std::chrono::seconds(10), tick_atom::value);
    },
  };
}

} // namespace

caf::actor spawn_alerting(caf::actor_system& sys, core::registry& reg) { return sys.spawn(alerting_impl, &reg); }

} // namespace trader::alerting
