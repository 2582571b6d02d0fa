// Leaves directly under root: the kill-switch file watcher, the scheduler, and the probe test
// hook. control is the control server, which runs outside the tree so an operator can reach
// traderd in safe halt.

#include "tools/traderd/actor_factories.hpp"

#include "actors/control/kill_switch/kill_switch_actor.hpp"
#include "actors/control/kill_switch/kill_switch_file.hpp"
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

/// control.kill_switch_file, relative to app.runtime_dir like control.socket.
std::string kill_switch_path_of(const config::trader_config& cfg) {
  return kill_switch::resolve_path(cfg.app.runtime_dir, cfg.control.kill_switch_file);
}

} // namespace

void add_root_factories(core::actor_factories& f, const daemon_context& ctx) {
  // Review row #5: the file engages the kill switch. The watcher re-reads the path every
  // second, so a reload that changes control.kill_switch_file moves the watch.
  if (!kill_switch_path_of(ctx.config->get()->config).empty())
    f[names::kill_switch] = {[ctx](caf::actor_system& sys) {
      kill_switch::options o;
      o.path = kill_switch_path_of(ctx.config->get()->config);
      o.current_path = [holder = ctx.config] { return kill_switch_path_of(holder->get()->config); };
      return kill_switch::spawn_kill_switch(sys, *ctx.reg, std::move(o), *ctx.metrics);
    }};
  f[names::scheduler] = {[ctx](caf::actor_system& sys) {
    return scheduler::spawn_scheduler(sys, *ctx.reg, scheduler_options_of(ctx.config->get()->config), *ctx.metrics);
  }};
  if (probe::test_hooks_enabled())
    f[names::probe] = {[](caf::actor_system& sys) { return probe::spawn_debug_probe(sys); }};
}

} // namespace trader::daemon
