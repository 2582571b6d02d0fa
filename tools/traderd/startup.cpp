#include "tools/traderd/startup.hpp"

#include "actors/trading/risk/trading_gate.hpp"
#include "messages/gate.hpp"
#include "messages/names.hpp"
#include "messages/orders.hpp"
#include "runtime/clock.hpp"
#include "runtime/config/loader.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/core/atoms.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/supervisor.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/audit_log.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tools/traderd/config_reload.hpp"
#include "tools/traderd/daemon_metrics.hpp"
#include "tools/traderd/exchange_factories.hpp"
#include "tools/traderd/safe_halt.hpp"
#include "tools/traderd/smoke_command.hpp"

#include <caf/all.hpp>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>
#include <thread>

namespace trader::daemon {

namespace {

core::tree_options tree_options_from(const config::trader_config& c) {
  core::tree_options o;
  o.intensity.max_restarts = static_cast<int>(c.runtime.supervisor_max_restarts);
  o.intensity.period = std::chrono::seconds(c.runtime.supervisor_period_s);
  o.child_shutdown = std::chrono::milliseconds(c.runtime.shutdown_timeout_ms);
  return o;
}

std::string control_socket_path(const config::trader_config& c) {
  std::filesystem::path p{c.control.socket};
  if (p.is_absolute())
    return p.string();
  return (std::filesystem::path{c.app.runtime_dir} / p).string();
}

bool wait_until(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

bool wait_for_down(caf::actor_system& sys, const caf::actor& root, std::chrono::milliseconds deadline) {
  caf::scoped_actor self{sys};
  self->monitor(root);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; }, caf::after(deadline) >> [&] { down = false; });
  return down;
}

/// Every control command, with who ran it, into the audit log and the daemon log.
control::audit_fn audit_commands(core::registry& reg) {
  return [&reg](const control::audit_record& a) {
    if (auto audit = reg.get(names::audit))
      caf::anon_send(audit, audit_entry{"operator", names::control,
                                        nlohmann::json{{"cmd", a.cmd},
                                                       {"id", a.id},
                                                       {"uid", a.peer.uid},
                                                       {"pid", a.peer.pid},
                                                       {"ok", a.ok},
                                                       {"error", a.error ? std::string{control::to_string(*a.error)} : ""}}
                                          .dump()});
    spdlog::info("control: cmd={} id={} uid={} pid={} ok={}{}", a.cmd, a.id, a.peer.uid, a.peer.pid, a.ok,
                 a.error ? std::string{" error="} + std::string{control::to_string(*a.error)} : std::string{});
  };
}

} // namespace

staged<boot_config> load_and_gate(const daemon_options& opts) {
  auto loaded = config::load_config_dir(opts.config_dir);
  log_config_issues(loaded);
  if (!loaded.ok()) {
    spdlog::critical("configuration in {} is invalid ({} error(s)); not starting", opts.config_dir,
                     loaded.errors());
    return exit_config;
  }
  auto mode = config::decide_mode(loaded.config->app, opts.confirm_live, config::process_env());
  if (!mode.allowed) {
    spdlog::critical("refusing to start: {}", mode.message);
    return exit_config;
  }
  return boot_config{std::move(*loaded.config), loaded.hash, loaded.trading_hash, opts.config_dir, mode};
}

exit_code print_tree(const boot_config& boot) {
  config_holder holder{config_snapshot{boot.config, boot.hash, boot.dir}};
  core::registry reg;
  prometheus::Registry unused;  // the factories are listed, never run
  daemon_context offline{&holder, &reg, nullptr, "not opened (--print-tree)", nullptr, {}, &unused};
  std::cout << core::render_spec(tree_options_from(boot.config), make_actor_factories(offline, nullptr));
  return exit_ok;
}

staged<persistence::instance_lock> take_lock(const config::trader_config& cfg) {
  std::error_code ec;
  std::filesystem::create_directories(cfg.app.state_dir, ec);
  auto lock = persistence::instance_lock::acquire(cfg.app.state_dir);
  if (!lock) {
    spdlog::critical("refusing to start: {}", lock.error().describe());
    return exit_unavailable;
  }
  return std::move(*lock);
}

staged<std::shared_ptr<persistence::audit_log>> open_audit(const boot_config& boot) {
  persistence::audit_options aopts;
  aopts.dir = (std::filesystem::path{boot.config.app.log_dir} / "audit").string();
  aopts.config_hash = boot.hash;
  auto opened = persistence::audit_log::open(aopts, system_time_source::instance());
  if (!opened) {
    spdlog::critical("refusing to start: audit log in {} unavailable: {}", aopts.dir, opened.error().describe());
    return exit_failure;
  }
  return std::shared_ptr<persistence::audit_log>(std::move(*opened));
}

void open_state(const std::string& dir, daemon_context& ctx) {
  persistence::store_options opts;
  opts.create_if_missing = false;  // never a new store in place of a lost one: `traderctl state init` makes the first
  auto opened = persistence::open_store(dir, opts);
  if (!opened) {
    ctx.store_error = "state store " + dir + ": " + opened.error().describe();
    spdlog::critical("{}; the trading gate stays closed (state_unavailable) until an operator repairs or "
                     "restores the store and runs `traderctl resume state_unavailable`",
                     ctx.store_error);
    return;
  }
  ctx.store = std::shared_ptr<persistence::state_store>(std::move(*opened));
  auto gate = ctx.store->get_gate();
  if (!gate) {
    spdlog::critical("state store: reading the gate failed: {}", gate.error().describe());
    return;
  }
  persistence::gate_record kept;
  kept.updated_at = system_time_source::instance().wall_now();
  if (*gate)
    for (auto& r : (*gate)->reasons)
      if (auto reason = parse_gate_reason(r.reason); !reason || risk::trading_gate::survives_restart(*reason))
        kept.reasons.push_back(r);
  if (auto w = ctx.store->put_gate(kept); !w)
    spdlog::critical("state store: writing the gate failed: {}", w.error().describe());
  spdlog::info("state store open dir={} schema={} kept_gate_reasons={}", dir, ctx.store->schema_version(),
               kept.reasons.size());
}

staged<std::shared_ptr<const net::api_key>> load_credentials(const boot_config& boot) {
  std::string no_key_why;
  auto credentials = exchange_credentials(&no_key_why);
  if (!credentials) {
    if (boot.live()) {
      spdlog::critical("refusing LIVE: no exchange API key: {}", no_key_why);
      return exit_config;
    }
    spdlog::info("no exchange API key ({}): public market data only, private calls fail with an auth error, "
                 "user_stream not started",
                 no_key_why);
  }
  return credentials;
}

namespace {

/// Watches the root supervisor: its down_msg before the ordered stop means the whole tree
/// died (an exception in root itself, a kill): the daemon must not go on as if it ran.
/// The down handler copies stopping and on_died; the references die with this call.
caf::behavior root_watch(caf::event_based_actor* self, const caf::actor& root,
                         const std::shared_ptr<std::atomic<bool>>& stopping,
                         const std::function<void(const std::string&)>& on_died) {
  self->monitor(root);
  self->set_down_handler([self, stopping, on_died](caf::down_msg& m) {
    if (!stopping->load() && on_died)
      on_died("the root supervisor died: " + caf::to_string(m.reason));
    self->quit();
  });
  return {[](core::probe_atom) { return std::int64_t{0}; }};  // a behavior, so it stays up
}

} // namespace

running_tree::running_tree(caf::actor_system& sys, caf::actor root, std::chrono::milliseconds budget,
                           core::registry& reg, std::function<void(const std::string& why)> on_root_died)
  : sys_(sys), root_(std::move(root)), budget_(budget), reg_(reg),
    watcher_(sys.spawn(root_watch, root_, stopping_, std::move(on_root_died))) {}

running_tree::~running_tree() {
  stop();
  caf::anon_send_exit(watcher_, caf::exit_reason::user_shutdown);
}

void running_tree::stop() {
  if (stopped_)
    return;
  stopped_ = true;
  stopping_->store(true);
  reg_.set_drop_alerts(false);  // absences are expected from here on
  core::request_stop(root_);
  if (!wait_for_down(sys_, root_, budget_)) {
    spdlog::error("tree did not stop within {} ms; killing it", budget_.count());
    core::send_exit_urgently(root_, caf::exit_reason::kill);  // ahead of its backlog (review #9)
  }
}

std::unique_ptr<running_tree> start_tree(caf::actor_system& sys, core::registry& reg, core::health_board& health,
                                         const core::tree_options& opts, const core::actor_factories& factories,
                                         safe_halt& halt) {
  core::supervisor_env env;
  env.reg = &reg;
  env.health = &health;
  // The halt persists, cancels and pages without the subtree that failed (review #3).
  env.on_escalate = [&halt](const std::string& sup, const std::string& why) { halt.trigger(sup, why); };
  // An actor that owns orders, fills or positions died abnormally: what it held in memory may
  // be lost, so no new risk until a reconcile (or an operator) says the books are whole
  // (review row #13). raise_gate persists it; it survives a risk restart.
  env.on_child_lost = [&reg](const std::string& child, const std::string& why) {
    spdlog::critical("actor {} owning trading state died: {}; gate reason actor_lost_state", child, why);
    reg.anon_send(names::risk, raise_gate{gate_signal{gate_reason::actor_lost_state, true, child + " died: " + why,
                                                      "supervisor", system_time_source::instance().wall_now(), {}}});
  };
  auto spec = core::build_tree(opts, factories, env);
  auto budget = core::shutdown_budget(spec);
  reg.set_drop_alerts(false);  // actors start in order: early sends to later ones are expected drops
  auto tree = std::make_unique<running_tree>(sys, core::spawn_supervisor(sys, std::move(spec), env), budget, reg,
                                             [&halt](const std::string& why) {
                                               spdlog::critical("{}; safe halt", why);
                                               halt.trigger(names::root, why);
                                             });
  // Every row running is not enough: a sub-supervisor declares its children only once it
  // runs itself, so also wait for every actor we have a factory for to be registered.
  auto tree_up = [&] {
    if (!health.all_running())
      return false;
    for (auto& [name, f] : factories)
      if (!reg.get(name))
        return false;
    return true;
  };
  if (!wait_until(tree_up, std::chrono::seconds(10)))
    spdlog::error("not every actor is running 10 s after start:\n{}", health.render_tree());
  else
    spdlog::info("supervision tree up:\n{}", health.render_tree());
  reg.set_drop_alerts(true);
  return tree;
}

staged<std::unique_ptr<control::control_server>> start_control(const control_context& ctx,
                                                               const config::trader_config& cfg) {
  control::server_options copts;
  copts.socket_path = control_socket_path(cfg);
  copts.on_audit = audit_commands(*ctx.reg);
  auto server = std::make_unique<control::control_server>(copts);
  register_core_commands(*server, ctx);
  register_smoke_command(*server, ctx);
  if (auto started = server->start(); !started) {
    spdlog::critical("control socket {} could not start: {}", copts.socket_path, started.error());
    return exit_failure;
  }
  spdlog::info("control socket listening path={}", copts.socket_path);
  return server;
}

exit_code start_metrics(daemon_metrics& metrics, const config::trader_config& cfg) {
  if (!cfg.metrics.enabled)
    return exit_ok;
  if (std::string why; !metrics.start(cfg.metrics.listen, why)) {
    spdlog::critical("metrics endpoint {} could not start: {}", cfg.metrics.listen, why);
    return exit_failure;
  }
  spdlog::info("metrics listening on {} (port {})", cfg.metrics.listen, metrics.port());
  return exit_ok;
}

} // namespace trader::daemon
