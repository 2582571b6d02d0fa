// Leaves directly under root: the scheduler, and the probe test hook. control is the control
// server, which runs outside the tree so an operator can reach traderd in safe halt.

#include "tools/traderd/actor_factories.hpp"

#include "actors/control/probe/debug_probe.hpp"
#include "actors/control/scheduler/scheduler_actor.hpp"
#include "runtime/core/names.hpp"

#include <caf/actor.hpp>

#include <random>

namespace trader::daemon {

namespace {

scheduler::options scheduler_options_of(const config::trader_config& cfg) {
  scheduler::options o;
  o.jitter.interval_ns = static_cast<std::int64_t>(cfg.loop.interval_s * 1e9);
  o.jitter.jitter_fraction = cfg.loop.jitter_pct / 100.0;
  // [loop] jitter_pct means "plus or minus" (and the sanity check CYCLE_BUDGET_EXCEEDS_INTERVAL
  // judges the shortest such interval).
  o.jitter.mode = scheduler::jitter_mode::symmetric;
  o.jitter.seed = std::random_device{}();
  o.jitter.cycle_budget_ns = static_cast<std::int64_t>(cfg.loop.cycle_budget_s * 1e9);
  return o;
}

} // namespace

void add_root_factories(core::actor_factories& f, const daemon_context& ctx) {
  f[names::scheduler] = {[ctx](caf::actor_system& sys) {
    return scheduler::spawn_scheduler(sys, *ctx.reg, scheduler_options_of(ctx.config->get()->config), *ctx.metrics);
  }};
  if (probe::test_hooks_enabled())
    f[names::probe] = {[](caf::actor_system& sys) { return probe::spawn_debug_probe(sys); }};
}

} // namespace trader::daemon
