// The infra subtree: audit, alerting, state and latency (DESIGN.md's tree; metrics is the
// daemon's exporter, outside the tree).

#include "tools/traderd/actor_factories.hpp"

#include "actors/infra/alerting/alerting_actor.hpp"
#include "actors/infra/audit/audit_actor.hpp"
#include "actors/infra/latency/latency_actor.hpp"
#include "actors/infra/state/state_actor.hpp"
#include "runtime/config/mode_gate.hpp"
#include "runtime/core/names.hpp"

#include <caf/actor.hpp>

#include <filesystem>

#include <unistd.h>

namespace trader::daemon {

namespace {

/// This machine's name, shown in alerts ("paper@host1").
std::string host_name() {
  char buf[256] = {};
  return ::gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : std::string();
}

latency::options latency_options_of(const config::trader_config& cfg) {
  latency::options o;
  o.rest_budget_ms = cfg.latency.rest_budget_ms;
  o.order_ack_budget_ms = cfg.latency.order_ack_budget_ms;
  o.ws_lag_budget_ms = cfg.latency.ws_lag_budget_ms;
  o.cycle_budget_s = cfg.loop.cycle_budget_s;
  o.baseline_path = (std::filesystem::path{cfg.app.state_dir} / "latency_baselines.jsonl").string();
  return o;
}

} // namespace

void add_infra_factories(core::actor_factories& f, const daemon_context& ctx) {
  if (ctx.audit)
    f[names::audit] = {[ctx](caf::actor_system& sys) { return audit::spawn_audit(sys, *ctx.reg, ctx.audit, ctx.metrics); }};
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
  f[names::state] = {[ctx](caf::actor_system& sys) { return state::spawn_state(sys, *ctx.reg, ctx.store, ctx.store_error); }};
  f[names::latency] = {[ctx](caf::actor_system& sys) {
    return latency::spawn_latency(sys, *ctx.reg, latency_options_of(ctx.config->get()->config), *ctx.metrics);
  }};
}

} // namespace trader::daemon
