#include "tools/traderd/daemon.hpp"

#include "runtime/clock.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/system_config.hpp"
#include "runtime/persistence/audit_log.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tools/traderd/config_reload.hpp"
#include "tools/traderd/daemon_loop.hpp"
#include "tools/traderd/daemon_metrics.hpp"
#include "tools/traderd/live_gates.hpp"
#include "tools/traderd/order_commands.hpp"
#include "tools/traderd/safe_halt.hpp"
#include "tools/traderd/safe_halt_deps.hpp"
#include "tools/traderd/signals.hpp"
#include "tools/traderd/startup.hpp"

#include <caf/all.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include <unistd.h>

namespace trader::daemon {

namespace {

void setup_logging(const std::string& level) {
  auto logger = spdlog::stderr_logger_mt("traderd");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

core::tree_options tree_options_of(const config::trader_config& c) {
  core::tree_options o;
  o.intensity.max_restarts = static_cast<int>(c.runtime.supervisor_max_restarts);
  o.intensity.period = std::chrono::seconds(c.runtime.supervisor_period_s);
  o.child_shutdown = std::chrono::milliseconds(c.runtime.shutdown_timeout_ms);
  return o;
}

/// `status` and friends: what the control commands may read and call.
control_context control_context_of(caf::actor_system& sys, core::registry& reg, core::health_board& health,
                                   config_holder& holder, const boot_config& boot, const daemon_context& dctx,
                                   std::function<reload_outcome()> reload) {
  control_context c;
  c.sys = &sys;
  c.reg = &reg;
  c.health = &health;
  c.config = &holder;
  c.mode = config::to_string(boot.mode.mode);
  c.read_only = boot.mode.read_only;
  c.started = system_time_source::instance().wall_now();
  c.store_status = [&dctx, dir = boot.config.app.state_dir] {
    std::error_code size_ec;
    auto size = std::filesystem::file_size(std::filesystem::path{dir} / "data.mdb", size_ec);
    bool ok = dctx.store && !dctx.store->failure();
    return nlohmann::json{{"ok", ok},
                          {"detail", !dctx.store ? dctx.store_error
                                     : ok      ? std::string{"open"}
                                               : "refusing writes after: " + dctx.store->failure()->describe()},
                          {"size_bytes", size_ec ? 0 : size}};
  };
  c.persist_kill_switch = [&dctx](const std::string& why, ts_ns at) {
    return persist_gate_reason(dctx.store.get(), dctx.store_error, gate_reason::kill_switch, why, at);
  };
  c.reload = std::move(reload);
  return c;
}

void audit_event(persistence::audit_log& audit, const nlohmann::json& event) {
  if (auto r = audit.append("daemon", "traderd", event); !r)
    spdlog::error("audit log: {}", r.error().describe());
}

} // namespace

int run_traderd(const daemon_options& opts) {
  // First of all, and before any thread starts (every thread inherits the mask): a signal
  // during start-up waits for the loop instead of taking its default action — SIGUSR1 (the
  // kill switch) or SIGHUP (reload) ended the process, and systemd restarted it without the
  // kill switch. A SIGTERM during start-up stops the daemon once it is up.
  block_daemon_signals();
  setup_logging(opts.log_level);
  auto boot = load_and_gate(opts);
  if (!boot)
    return boot.code();
  if (opts.print_tree)
    return print_tree(*boot);
  auto lock = take_lock(boot->config);
  if (!lock)
    return lock.code();
  auto audit = open_audit(*boot);
  if (!audit)
    return audit.code();

  config_holder holder{config_snapshot{boot->config, boot->hash, boot->dir}};
  core::registry reg;
  // Subtrees start concurrently: what risk, order_lifecycle or the signal side audit or alert
  // before audit and alerting run (risk's first gate state, above all: the soak found it
  // missing from the audit log) waits for them instead of being dropped; so does what is sent
  // while either restarts. Bounded: beyond it a send is a counted drop.
  reg.hold_while_absent(names::audit, 4096);
  reg.hold_while_absent(names::alerting, 1024);
  daemon_metrics dmetrics{boot->hash, config::to_string(boot->mode.mode)};
  gate_status gate;
  daemon_context dctx{&holder, &reg, nullptr, "", *audit, {}, &dmetrics.registry()};
  open_state(boot->config.app.state_dir, dctx);
  if (boot->live() && !live_paper_time_ok(boot->config, boot->trading_hash, dctx))
    return exit_config;
  audit_event(**audit, {{"event", "start"},
                        {"mode", config::to_string(boot->mode.mode)},
                        {"read_only", boot->mode.read_only},
                        {"pid", static_cast<long>(getpid())},
                        {"state_store", dctx.store ? "ok" : dctx.store_error}});
  dctx.on_gate = [&](const gate_changed& g) {
    dmetrics.on_gate(g);
    gate.on_gate(g);
  };
  auto credentials = load_credentials(*boot);
  if (!credentials)
    return credentials.code();
  dctx.record_market_dir = opts.record_market_dir;
  auto factories = make_actor_factories(dctx, *credentials);
  spdlog::info("traderd starting mode={} read_only={} config_hash={} config_dir={}",
               config::to_string(boot->mode.mode), boot->mode.read_only, boot->hash, opts.config_dir);
  spdlog::info("mode: {}", boot->mode.message);

  // What actors read through raw pointers outlives the actor system, whose destructor waits
  // for the last of them: a `status` or `kill` helper still answering when SIGTERM came reads
  // the health board and the halt's report after the tree has stopped.
  core::health_board health;
  // The root's escalation: persists, cancels and pages without the tree (review #3).
  safe_halt halt{make_safe_halt_deps(safe_halt_wiring{&reg, &dctx, boot->mode.mode, *credentials})};

  core::runtime_options ropts;
  ropts.scheduler_threads = static_cast<std::size_t>(boot->config.runtime.scheduler_threads);
  core::system_config sys_cfg{ropts};
  caf::actor_system sys{sys_cfg};
  // A halt running on its thread messages actors: joined before the actor system goes.
  halt_joiner join_halt{halt};
  auto tree = start_tree(sys, reg, health, tree_options_of(boot->config), factories, halt);
  if (boot->live() && !live_clock_ok(sys, reg, boot->config))
    return exit_config;  // ~running_tree stops the tree

  auto on_applied = [&dmetrics, mode = std::string{config::to_string(boot->mode.mode)}](const std::string& hash) {
    dmetrics.set_config(hash, mode);
  };
  auto reload = [&] { return reload_config(holder, dctx.audit.get(), reg, on_applied); };
  auto cctx = control_context_of(sys, reg, health, holder, *boot, dctx, reload);
  cctx.safe_halt_status = [&halt] { return halt.status_json(); };
  auto control = start_control(cctx, boot->config);
  if (!control)
    return control.code();
  if (auto rc = start_metrics(dmetrics, boot->config); rc != exit_ok)
    return rc;  // the control server and the tree stop on the way out

  daemon_loop{loop_deps{&sys, &reg, &health, &holder, &dctx, &dmetrics, &gate, &*boot, [&] { reload(); }, &halt}}.run();
  cancel_orders_on_shutdown(sys, reg, holder.get()->config, std::chrono::seconds(30));
  dmetrics.stop();
  (*control)->stop();
  tree->stop();
  audit_event(*dctx.audit, {{"event", "stop"}});
  if (auto flushed = dctx.audit->flush(); !flushed)
    spdlog::error("audit log: {}", flushed.error().describe());
  spdlog::info("traderd stopped");
  return exit_ok;
}

} // namespace trader::daemon
