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

/// The gate a (re)started risk actor begins with: `startup`, the reasons that survive a
/// restart as the store holds them (sticky ones, order_timeout, actor_lost_state), and
/// state_unavailable when the store is absent, unreadable or has failed at run time (review
/// row #1). Never open. Every other reason is rebuilt from the sources, which the new risk
/// asks at once.
risk::trading_gate initial_gate(const daemon_context& ctx) {
  auto now = system_time_source::instance().wall_now();
  auto gate = risk::trading_gate::closed_at_start(now);
  if (!ctx.store) {
    gate.apply(gate_signal{gate_reason::state_unavailable, true, ctx.store_error, "traderd", now, {}});
    return gate;
  }
  if (auto failed = ctx.store->failure())
    gate.apply(gate_signal{gate_reason::state_unavailable, true, "store refuses writes: " + failed->describe(), "traderd",
                           now, {}});
  auto persisted = ctx.store->get_gate();
  if (!persisted) {
    gate.apply(gate_signal{gate_reason::state_unavailable, true, "reading the gate: " + persisted.error().describe(),
                           "traderd", now, {}});
  } else if (*persisted) {
    for (auto& s : state::to_signals(**persisted))
      if (risk::trading_gate::survives_restart(s.reason))
        gate.apply(s);
  }
  return gate;
}

} // namespace

void add_trading_factories(core::actor_factories& f, const daemon_context& ctx) {
  f[names::risk] = {[ctx](caf::actor_system& sys) { return risk::spawn_risk(sys, *ctx.reg, initial_gate(ctx), ctx.on_gate); }};
}

} // namespace trader::daemon
