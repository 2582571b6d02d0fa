#include "actors/trading/risk/risk_actor.hpp"

#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace trader::risk {

namespace {

struct risk_state {
  trading_gate gate;
  gate_observer observer;
  static inline const char* name = names::risk;
};

ts_ns now() { return system_time_source::instance().wall_now(); }

std::string reasons_text(const trading_gate& g) {
  std::string out;
  for (auto& r : g.reasons())
    out += (out.empty() ? "" : ",") + std::string{to_string(r.reason)};
  return out.empty() ? "-" : out;
}

/// Persists, audits and logs the gate after a change.
void publish(caf::stateful_actor<risk_state>* self, core::registry& reg, const std::string& why) {
  auto snap = self->state.gate.snapshot(now());
  spdlog::warn("gate {} reasons={} ({})", snap.open ? "OPEN" : "CLOSED", reasons_text(self->state.gate), why);
  if (self->state.observer)
    self->state.observer(snap);
  reg.send(self, names::state, snap);
  audit_entry entry{"gate", names::risk, gate_json(snap)};
  reg.send(self, names::audit, std::move(entry));
}

caf::behavior risk_impl(caf::stateful_actor<risk_state>* self, core::registry* reg, trading_gate initial,
                        gate_observer observer) {
  self->state.gate = std::move(initial);
  self->state.observer = std::move(observer);
  if (self->state.observer)
    self->state.observer(self->state.gate.snapshot(now()));
  return {
    core::probe_handler(self),
    [=](const gate_signal& s) {
      if (self->state.gate.apply(s)) {
        publish(self, *reg,
                fmt::format("{} {} by {}: {}", s.active ? "raised" : "cleared", to_string(s.reason), s.source, s.detail));
      } else if (!s.active && trading_gate::is_sticky(s.reason) && self->state.gate.has(s.reason)) {
        spdlog::warn("gate: {} asked to clear {}, which only an operator can resume", s.source, to_string(s.reason));
      }
    },
    [=](const resume_gate& r) -> gate_changed {
      if (self->state.gate.resume(r.reason))
        publish(self, *reg, fmt::format("operator {} resumed {}", r.by, to_string(r.reason)));
      return self->state.gate.snapshot(now());
    },
    [=](get_gate) -> gate_changed { return self->state.gate.snapshot(now()); },
    [=](const config_changed& c) {
      // The gate has no settings; pre-trade checks will re-read [risk] here.
      spdlog::info("risk: configuration {} applied (sections {})", c.hash, fmt::join(c.sections, ","));
    },
  };
}

} // namespace

caf::actor spawn_risk(caf::actor_system& sys, core::registry& reg, trading_gate initial, gate_observer observer) {
  return sys.spawn(risk_impl, &reg, std::move(initial), std::move(observer));
}

} // namespace trader::risk
