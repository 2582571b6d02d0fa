#include "tools/traderd/actor_factories.hpp"

#include "actors/infra/alerting/alerting_actor.hpp"
#include "actors/infra/audit/audit_actor.hpp"
#include "actors/control/probe/debug_probe.hpp"
#include "actors/trading/risk/risk_actor.hpp"
#include "actors/infra/state/gate_records.hpp"
#include "actors/infra/state/state_actor.hpp"
#include "runtime/core/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/persistence/state_store.hpp"

#include <caf/actor.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

namespace trader::daemon {

namespace {

/// The gate a (re)started risk actor begins with: what the store holds, plus `startup`;
/// with no readable store, state_unavailable too. Never open.
risk::trading_gate initial_gate(const daemon_context& ctx) {
  auto now = system_time_source::instance().wall_now();
  auto gate = risk::trading_gate::closed_at_start(now);
  if (!ctx.store) {
    gate.apply(gate_signal{gate_reason::state_unavailable, true, ctx.store_error, "traderd", now});
    return gate;
  }
  auto persisted = ctx.store->get_gate();
  if (!persisted) {
    gate.apply(gate_signal{gate_reason::state_unavailable, true, "reading the gate: " + persisted.error().describe(),
                           "traderd", now});
  } else if (*persisted) {
    for (auto& s : state::to_signals(**persisted))
      gate.apply(s);
  }
  return gate;
}

/// This machine's name, shown in alerts ("paper@host1").
std::string host_name() {
  char buf[256] = {};
  return ::gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string();
}

} // namespace

core::actor_factories make_actor_factories(const daemon_context& ctx) {
  core::actor_factories f;
  f[names::state] = {[ctx](caf::actor_system& sys) { return state::spawn_state(sys, *ctx.reg, ctx.store, ctx.store_error); }};
  if (ctx.audit)
    f[names::audit] = {[ctx](caf::actor_system& sys) { return audit::spawn_audit(sys, ctx.audit); }};
  f[names::alerting] = {[ctx](caf::actor_system& sys) {
    // [alerts] + secrets, read at every (re)start and again on config_changed.
    auto options = [holder = ctx.config] {
      auto snap = holder->get();
      return alerting::options_from(snap->config, config::process_env(),
                                    alerting::environment_of(snap->config, host_name()));
    };
    return alerting::spawn_alerting(sys, *ctx.reg, options(),
                                    alerting::alerting_deps{nullptr, nullptr, nullptr, ctx.metrics, options});
  }};
  f[names::risk] = {[ctx](caf::actor_system& sys) { return risk::spawn_risk(sys, *ctx.reg, initial_gate(ctx), ctx.on_gate); }};
  if (probe::test_hooks_enabled())
    f[names::probe] = {[](caf::actor_system& sys) { return probe::spawn_debug_probe(sys); }};
  return f;
}

} // namespace trader::daemon
