// The trading subtree: risk today; universe, triggers, strategies and order_lifecycle land
// issue by issue (core::render_spec marks them "not built yet").

#include "tools/traderd/actor_factories.hpp"

#include "actors/infra/state/gate_records.hpp"
#include "actors/trading/risk/risk_actor.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/names.hpp"
#include "runtime/persistence/state_store.hpp"

#include <caf/actor.hpp>

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

} // namespace

void add_trading_factories(core::actor_factories& f, const daemon_context& ctx) {
  f[names::risk] = {[ctx](caf::actor_system& sys) { return risk::spawn_risk(sys, *ctx.reg, initial_gate(ctx), ctx.on_gate); }};
}

} // namespace trader::daemon
