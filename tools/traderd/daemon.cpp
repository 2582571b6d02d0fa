#include "tools/traderd/daemon.hpp"

#include "messages/exchange.hpp"
#include "messages/gate.hpp"
#include "messages/names.hpp"
#include "messages/orders.hpp"
#include "runtime/clock.hpp"
#include "runtime/config/loader.hpp"
#include "runtime/config/mode_gate.hpp"
#include "runtime/config/reload.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/supervisor.hpp"
#include "runtime/core/system_config.hpp"
#include "runtime/core/tree.hpp"
#include "runtime/core/type_ids.hpp"
#include "actors/trading/risk/trading_gate.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/persistence/audit_log.hpp"
#include "runtime/persistence/instance_lock.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tools/traderd/actor_factories.hpp"
#include "tools/traderd/control_commands.hpp"
#include "tools/traderd/exchange_factories.hpp"
#include "tools/traderd/failure_watch.hpp"
#include "tools/traderd/live_gates.hpp"
#include "tools/traderd/smoke_command.hpp"
#include "tools/traderd/daemon_metrics.hpp"
#include "runtime/systemd/systemd_notify.hpp"
#include "tools/traderd/signals.hpp"

#include <caf/all.hpp>
#include <spdlog/sinks/stdout_sinks.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <mutex>
#include <iostream>
#include <thread>

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

core::tree_options tree_options_from(const config::trader_config& c) {
  core::tree_options o;
  o.intensity.max_restarts = static_cast<int>(c.runtime.supervisor_max_restarts);
  o.intensity.period = std::chrono::seconds(c.runtime.supervisor_period_s);
  o.child_shutdown = std::chrono::milliseconds(c.runtime.shutdown_timeout_ms);
  return o;
}

void log_issues(const config::load_result& r) {
  for (auto& issue : r.issues)
    spdlog::log(issue.level == config::severity::error ? spdlog::level::err : spdlog::level::warn, "config: {}",
                config::render(issue));
}

/// SIGHUP or `traderctl reload`: validate the directory fully; swap only a valid config
/// whose non-reloadable keys are unchanged.
reload_outcome reload(config_holder& holder, persistence::audit_log* audit, core::registry& reg,
                      const std::function<void(const std::string&)>& on_applied) {
  reload_outcome out;
  auto running = holder.get();
  out.old_hash = running->hash;
  spdlog::info("reload requested dir={}", running->dir);
  auto r = config::load_config_dir(running->dir);
  log_issues(r);
  for (auto& issue : r.issues)
    if (issue.level == config::severity::error)
      out.problems.push_back(config::render(issue));
  if (!r.ok()) {
    out.message = "reload rejected: " + std::to_string(r.errors()) + " error(s); running config " + running->hash
                  + " stays";
    spdlog::error("{}", out.message);
    return out;
  }
  auto plan = config::plan_reload(running->config, *r.config);
  out.new_hash = plan.new_hash;
  out.changed_sections = plan.changed_sections;
  if (!plan.accepted) {
    for (auto& refusal : plan.refusals) {
      spdlog::error("reload rejected: {}", refusal.message);
      out.problems.push_back(refusal.message);
    }
    out.message = "reload rejected: settings that cannot change at runtime differ";
    return out;
  }
  if (!plan.changed) {
    out.message = "no change";
    spdlog::info("reload: no change (hash {})", running->hash);
    return out;
  }
  holder.swap(config_snapshot{*r.config, r.hash, running->dir});
  if (audit) {
    audit->set_config_hash(r.hash);
    audit->append("config", "traderd",
                  nlohmann::json{{"event", "reload"}, {"old_hash", plan.old_hash}, {"new_hash", plan.new_hash},
                                 {"sections", plan.changed_sections}});
  }
  for (auto& name : plan.affected_actors)
    if (auto a = reg.get(name))
      caf::anon_send(a, config_changed{r.hash, plan.changed_sections});
  if (on_applied)
    on_applied(r.hash);
  out.applied = true;
  out.message = "applied";
  spdlog::info("reload applied old_hash={} new_hash={} sections={}", plan.old_hash, plan.new_hash,
               fmt::join(plan.changed_sections, ","));
  return out;
}

/// Opens the store fail-closed: on any error the daemon runs without it and the gate stays
/// closed with state_unavailable; nothing stored is touched. At start only the sticky
/// reasons of the persisted gate survive (the rest are re-derived by their sources).
void open_state(const std::string& dir, daemon_context& ctx) {
  auto opened = persistence::open_store(dir);
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
      if (auto reason = parse_gate_reason(r.reason); !reason || risk::trading_gate::is_sticky(*reason))
        kept.reasons.push_back(r);
  if (auto w = ctx.store->put_gate(kept); !w)
    spdlog::critical("state store: writing the gate failed: {}", w.error().describe());
  spdlog::info("state store open dir={} schema={} kept_gate_reasons={}", dir, ctx.store->schema_version(),
               kept.reasons.size());
}

std::string control_socket_path(const config::trader_config& c) {
  std::filesystem::path p{c.control.socket};
  if (p.is_absolute())
    return p.string();
  return (std::filesystem::path{c.app.runtime_dir} / p).string();
}

/// The root supervisor gave up: close the gate, cancel open orders, page a human. The
/// control socket and metrics stay up (they are not children of the tree).
void safe_halt(core::registry& reg, const std::string& supervisor, const std::string& why) {
  spdlog::critical("SAFE HALT: supervisor {} exceeded its restart intensity: {}", supervisor, why);
  auto now = system_time_source::instance().wall_now();
  if (auto risk = reg.get(names::risk))
    caf::anon_send(risk, gate_signal{gate_reason::safe_halt, true, why, names::root, now});
  if (auto orders = reg.get(names::order_lifecycle))
    caf::anon_send(orders, cancel_all{"safe halt: " + why});
  if (auto alerting = reg.get(names::alerting))
    caf::anon_send(alerting, alert{"safe_halt", severity::critical, "safe_halt", "traderd safe halt", why, names::root,
                                   false, now});
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

} // namespace

int run_traderd(const daemon_options& opts) {
  setup_logging(opts.log_level);
  auto loaded = config::load_config_dir(opts.config_dir);
  log_issues(loaded);
  if (!loaded.ok()) {
    spdlog::critical("configuration in {} is invalid ({} error(s)); not starting", opts.config_dir,
                     loaded.errors());
    return exit_config;
  }
  auto& cfg = *loaded.config;
  auto mode = config::decide_mode(cfg.app, opts.confirm_live, config::process_env());
  if (!mode.allowed) {
    spdlog::critical("refusing to start: {}", mode.message);
    return exit_config;
  }
  config_holder holder{config_snapshot{cfg, loaded.hash, opts.config_dir}};
  core::registry reg;
  auto topts = tree_options_from(cfg);
  if (opts.print_tree) {
    daemon_context offline{&holder, &reg, nullptr, "not opened (--print-tree)", nullptr};
    auto offline_factories = make_actor_factories(offline);
    add_exchange_factories(offline_factories, offline, nullptr);
    std::cout << core::render_spec(topts, offline_factories);
    return exit_ok;
  }

  // One traderd per state directory; the kernel drops the lock if we crash.
  std::error_code ec;
  std::filesystem::create_directories(cfg.app.state_dir, ec);
  auto lock = persistence::instance_lock::acquire(cfg.app.state_dir);
  if (!lock) {
    spdlog::critical("refusing to start: {}", lock.error().describe());
    return exit_unavailable;
  }
  persistence::audit_options aopts;
  aopts.dir = (std::filesystem::path{cfg.app.log_dir} / "audit").string();
  aopts.config_hash = loaded.hash;
  auto audit_opened = persistence::audit_log::open(aopts, system_time_source::instance());
  if (!audit_opened) {
    spdlog::critical("refusing to start: audit log in {} unavailable: {}", aopts.dir, audit_opened.error().describe());
    return exit_failure;
  }
  daemon_context dctx{&holder, &reg, nullptr, "", std::shared_ptr<persistence::audit_log>(std::move(*audit_opened))};
  open_state(cfg.app.state_dir, dctx);
  if (mode.mode == config::trading_mode::live && !live_paper_time_ok(cfg, loaded.trading_hash, dctx))
    return exit_config;
  dctx.audit->append("daemon", "traderd",
                     nlohmann::json{{"event", "start"},
                                    {"mode", config::to_string(mode.mode)},
                                    {"read_only", mode.read_only},
                                    {"pid", static_cast<long>(getpid())},
                                    {"state_store", dctx.store ? "ok" : dctx.store_error}});
  daemon_metrics dmetrics{loaded.hash, config::to_string(mode.mode)};
  std::mutex gate_mtx;
  std::string gate_text = "CLOSED(startup)";
  dctx.on_gate = [&](const gate_changed& g) {
    dmetrics.on_gate(g);
    std::string text = g.open ? "OPEN" : "CLOSED(";
    if (!g.open) {
      for (std::size_t i = 0; i < g.reasons.size(); ++i)
        text += (i ? "," : "") + std::string{to_string(g.reasons[i].reason)};
      text += ")";
    }
    std::lock_guard guard{gate_mtx};
    gate_text = std::move(text);
  };
  auto on_applied = [&dmetrics, m = std::string{config::to_string(mode.mode)}](const std::string& hash) {
    dmetrics.set_config(hash, m);
  };
  dctx.metrics = &dmetrics.registry();
  auto factories = make_actor_factories(dctx);
  std::string no_key_why;
  auto credentials = exchange_credentials(&no_key_why);
  if (!credentials) {
    if (mode.mode == config::trading_mode::live) {
      spdlog::critical("refusing LIVE: no exchange API key: {}", no_key_why);
      return exit_config;
    }
    spdlog::info("no exchange API key ({}): public market data only, private calls fail with an auth error, "
                 "user_stream not started",
                 no_key_why);
  }
  add_exchange_factories(factories, dctx, credentials);
  spdlog::info("traderd starting mode={} read_only={} config_hash={} config_dir={}", config::to_string(mode.mode),
               mode.read_only, loaded.hash, opts.config_dir);
  spdlog::info("mode: {}", mode.message);

  block_daemon_signals();  // Before CAF starts its threads, so they inherit the mask.
  core::runtime_options ropts;
  ropts.scheduler_threads = static_cast<std::size_t>(cfg.runtime.scheduler_threads);
  core::system_config sys_cfg{ropts};
  caf::actor_system sys{sys_cfg};
  core::health_board health;
  core::supervisor_env env;
  env.reg = &reg;
  env.health = &health;
  env.on_escalate = [&reg](const std::string& sup, const std::string& why) { safe_halt(reg, sup, why); };
  auto spec = core::build_tree(topts, factories, env);
  auto shutdown_deadline = core::shutdown_budget(spec);
  auto root = core::spawn_supervisor(sys, std::move(spec), env);
  // Ordered stop of the tree; killed if it overruns its shutdown budget.
  auto stop_tree = [&] {
    core::request_stop(root);
    if (!wait_for_down(sys, root, shutdown_deadline)) {
      spdlog::error("tree did not stop within {} ms; killing it", shutdown_deadline.count());
      core::send_exit_urgently(root, caf::exit_reason::kill);  // ahead of its backlog (review #9)
    }
  };
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
  if (mode.mode == config::trading_mode::live && !live_clock_ok(sys, reg, cfg)) {
    stop_tree();
    return exit_config;
  }

  control::server_options copts;
  copts.socket_path = control_socket_path(cfg);
  copts.on_audit = [&reg](const control::audit_record& a) {
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
  control::control_server control_srv{copts};
  control_context cctx;
  cctx.sys = &sys;
  cctx.reg = &reg;
  cctx.health = &health;
  cctx.config = &holder;
  cctx.mode = config::to_string(mode.mode);
  cctx.read_only = mode.read_only;
  cctx.started = system_time_source::instance().wall_now();
  cctx.store_status = [&dctx, dir = cfg.app.state_dir] {
    std::error_code size_ec;
    auto size = std::filesystem::file_size(std::filesystem::path{dir} / "data.mdb", size_ec);
    bool ok = dctx.store && !dctx.store->failure();
    return nlohmann::json{{"ok", ok},
                          {"detail", !dctx.store ? dctx.store_error
                                     : ok      ? std::string{"open"}
                                               : "refusing writes after: " + dctx.store->failure()->describe()},
                          {"size_bytes", size_ec ? 0 : size}};
  };
  cctx.reload = [&] { return reload(holder, dctx.audit.get(), reg, on_applied); };
  register_core_commands(control_srv, cctx);
  register_smoke_command(control_srv, cctx);
  if (auto started = control_srv.start(); !started) {
    spdlog::critical("control socket {} could not start: {}", copts.socket_path, started.error());
    stop_tree();
    return exit_failure;
  }
  spdlog::info("control socket listening path={}", copts.socket_path);
  if (cfg.metrics.enabled) {
    if (std::string why; !dmetrics.start(cfg.metrics.listen, why)) {
      spdlog::critical("metrics endpoint {} could not start: {}", cfg.metrics.listen, why);
      control_srv.stop();
      stop_tree();
      return exit_failure;
    }
    spdlog::info("metrics listening on {} (port {})", cfg.metrics.listen, dmetrics.port());
  }

  // systemd: READY once the tree, the store and the control socket are up; WATCHDOG only
  // while the tree runs and the scheduler answers; STATUS every 10 s.
  systemd::notifier notify;
  systemd::watchdog_policy watchdog{notify.watchdog_interval().value_or(std::chrono::microseconds{0})};
  auto status_line = [&] {
    std::lock_guard guard{gate_mtx};
    auto rows = health.snapshot();
    auto running = std::count_if(rows.begin(), rows.end(), [](auto& r) { return r.state == actor_run_state::running; });
    return fmt::format("{} gate={} actors={}/{} store={} config={}", config::to_string(mode.mode), gate_text, running,
                       rows.size(), dctx.store ? "ok" : "UNAVAILABLE", holder.get()->hash);
  };
  auto probe = sys.spawn([]() -> caf::behavior { return {[](caf::ok_atom) { return caf::ok_atom::value; }}; });
  caf::scoped_actor prober{sys};
  auto scheduler_answers = [&] {
    bool ok = false;
    prober->request(probe, std::chrono::seconds(2), caf::ok_atom::value)
      .receive([&](caf::ok_atom) { ok = true; }, [&](caf::error&) { ok = false; });
    return ok;
  };
  auto liveness = core::spawn_liveness_monitor(sys, reg, health);
  auto wedge_limit_ms = cfg.runtime.wedge_limit_s * 1000;
  std::vector<std::string> wedged_before;
  failure_watch failures;  // actor_restart_storm and exception_burst alerts
  notify.ready(status_line());
  auto next_status = std::chrono::steady_clock::now();
  auto last_runtime_tick = std::chrono::steady_clock::now();
  auto next_reader_check = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  bool counts_runtime = mode.mode != config::trading_mode::dry_run;
  auto period = std::min<std::chrono::milliseconds>(
    std::chrono::milliseconds(1000), std::chrono::duration_cast<std::chrono::milliseconds>(watchdog.check_period()));

  for (;;) {
    auto ev = wait_for_signal(period);
    if (ev == signal_event::stop) {
      spdlog::info("stop signal received: ordered shutdown");
      break;
    }
    if (ev == signal_event::reload) {
      notify.reloading();
      reload(holder, dctx.audit.get(), reg, on_applied);
      notify.ready(status_line());
    }
    auto now = system_time_source::instance().mono_now();
    auto wedged = health.wedged(wedge_limit_ms);
    if (wedged != wedged_before) {
      if (!wedged.empty())
        spdlog::critical("actor(s) wedged (no answer to liveness probes for > {} s): {}; watchdog pings stop",
                         cfg.runtime.wedge_limit_s, fmt::join(wedged, ","));
      else
        spdlog::warn("no actor is wedged any more");
      wedged_before = wedged;
    }
    if (health.all_running() && wedged.empty() && scheduler_answers())
      watchdog.healthy(now);
    else
      watchdog.unhealthy(now);
    if (watchdog.due(now)) {
      notify.watchdog();
      watchdog.ping_sent(now);
    }
    dmetrics.refresh(health, dctx.store.get(), cfg.app.state_dir);
    for (auto& a : failures.observe(health.snapshot(), system_time_source::instance().wall_now()))
      if (auto al = reg.get(names::alerting))
        caf::anon_send(al, std::move(a));
    if (dctx.store && std::chrono::steady_clock::now() >= next_reader_check) {
      // Reader slots of crashed processes (traderctl, a killed traderd) block page reuse.
      if (auto cleared = dctx.store->check_readers(); !cleared)
        spdlog::error("state store: reader check failed: {}", cleared.error().describe());
      else if (*cleared > 0)
        spdlog::warn("state store: cleared {} stale reader slot(s)", *cleared);
      next_reader_check = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    }
    if (counts_runtime && std::chrono::steady_clock::now() - last_runtime_tick >= std::chrono::minutes(1)) {
      auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - last_runtime_tick);
      last_runtime_tick += secs;
      if (auto st = reg.get(names::state))
        caf::anon_send(st, config_runtime{loaded.trading_hash, mode.mode == config::trading_mode::live, secs.count()});
    }
    if (std::chrono::steady_clock::now() >= next_status) {
      notify.status(status_line());
      next_status = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    }
  }
  notify.stopping("stopping: ordered shutdown");
  anon_send_exit(probe, caf::exit_reason::user_shutdown);
  anon_send_exit(liveness, caf::exit_reason::user_shutdown);
  dmetrics.stop();
  control_srv.stop();
  stop_tree();
  dctx.audit->append("daemon", "traderd", nlohmann::json{{"event", "stop"}});
  dctx.audit->flush();
  spdlog::info("traderd stopped");
  return exit_ok;
}

} // namespace trader::daemon
