#include "actors/control/probe/debug_probe.hpp"
#include "actors/control/scheduler/scheduler_actor.hpp"
#include "messages/exchange.hpp"
#include "messages/ops.hpp"
#include "tools/traderd/universe_products.hpp"
#include "tools/traderd/control_commands.hpp"
#include "tools/traderd/order_commands.hpp"
#include "tools/traderd/risk_commands.hpp"
#include "tools/traderd/signal_commands.hpp"
#include "tools/traderd/drift_commands.hpp"

#include "actors/trading/risk/risk_actor.hpp"
#include "actors/trading/risk/trading_gate.hpp"
#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/core/atoms.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/supervisor.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

namespace trader::daemon {

namespace {

using nlohmann::json;

json health_json(const health_report& r) {
  return json{{"name", r.name},
              {"parent", r.parent},
              {"state", std::string{to_string(r.state)}},
              {"restarts", r.restarts},
              {"mailbox_depth", r.mailbox_depth},
              {"unanswered_ms", r.unanswered_ms},
              {"last_failure", r.last_failure},
              {"last_failure_at", r.last_failure_ts ? format_rfc3339_ms(r.last_failure_ts) : ""},
              {"started_at", r.started_ts ? format_rfc3339_ms(r.started_ts) : ""}};
}

/// The bridge from the control thread to actors: a one-shot actor requests the message xs
/// from the actor registered as `name`; on_value(Result) builds the reply, on_error(error)
/// builds it when the request fails (absent, dead or timed out: never silence).
template <class Result, class OnValue, class OnError, class... Ts>
void ask(const control_context& ctx, const std::string& name, std::chrono::seconds timeout, const control::reply_fn& reply,
         OnValue on_value, OnError on_error, Ts... xs) {
  auto dest = ctx.reg->get(name);
  ctx.sys->spawn([=](caf::event_based_actor* self) {
    self->request(dest, timeout, xs...)
      .then([=](const Result& r) { reply(on_value(r)); }, [=](caf::error& err) { reply(on_error(err)); });
  });
}

/// on_error for ask: `unavailable`, prefixed with what failed.
auto unavailable(std::string prefix) {
  return [prefix = std::move(prefix)](const caf::error& err) {
    return control::reply::failure(control::error_code::unavailable, prefix + describe(err));
  };
}

nlohmann::json gate_to_json(const gate_changed& g) { return json::parse(risk::gate_json(g)); }

control::reply gate_reply(const gate_changed& g) { return control::reply::success(gate_to_json(g)); }

/// The exchange part of `status`: which exchange actors run, the market-data feed per
/// streamed product (age of the newest data, stale or not) and the rate limiter's view.
json exchange_status(const control_context& ctx, caf::blocking_actor* self) {
  auto cfg = ctx.config->get();
  auto rows = ctx.health->snapshot();
  int total = 0, running = 0;
  for (auto& r : rows)
    if (r.parent == names::exchange) {
      ++total;
      running += r.state == actor_run_state::running;
    }
  json out{{"rest_base_url", cfg->config.exchange.rest_base_url},
           {"ws_market_url", cfg->config.exchange.ws_market_url},
           {"actors_running", running},
           {"actors_total", total}};
  auto now = system_time_source::instance().wall_now();
  json feed = json::object();
  int fresh = 0, products = 0;
  if (auto md = ctx.reg->get(names::market_data)) {
    for (auto& p : streamed_products(cfg->config)) {
      ++products;
      self->request(md, std::chrono::seconds(1), get_book{p, 1})
        .receive(
          [&](const book_snapshot& b) {
            bool ok = b.ts_recv > 0 && !b.stale;
            fresh += ok;
            feed[p.value] = b.ts_recv > 0 ? json{{"age_ms", (now - b.ts_recv) / 1'000'000}, {"stale", b.stale}}
                                          : json{{"age_ms", nullptr}, {"stale", true}};
            // The connection's newest heartbeat, in exchange time: what was sent before it is in.
            feed[p.value]["heartbeat_at"] = b.ts_heartbeat > 0 ? json(format_rfc3339_ms(b.ts_heartbeat)) : json(nullptr);
            // What market data waits for (a level2 snapshot, any data) and since when.
            if (!b.waiting_for.empty())
              feed[p.value]["waiting"] = json{{"for", b.waiting_for},
                                              {"since", format_rfc3339_ms(b.waiting_since)},
                                              {"for_ms", (now - b.waiting_since) / 1'000'000},
                                              {"retries", b.retries}};
          },
          [&](const caf::error& e) { feed[p.value] = json{{"error", describe(e)}}; });
    }
  }
  out["market_data"] = json{{"products", products}, {"fresh", fresh}, {"feeds", feed}};
  out["connected"] = products > 0 && fresh == products;
  if (auto rl = ctx.reg->get(names::rate_limiter)) {
    self->request(rl, std::chrono::seconds(1), caf::get_atom::value)
      .receive([&](const std::string& j) { out["rate_limiter"] = json::parse(j, nullptr, false); },
               [&](const caf::error& e) { out["rate_limiter"] = json{{"error", describe(e)}}; });
  }
  return out;
}

/// Mode, config, uptime, actor health, trading gate, exchange connectivity, state store, safe
/// halt. Asks several actors in turn, so it runs in a blocking actor of its own. In a safe
/// halt "healthy" stays false and "safe_halt" carries the halt's report.
void status(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  ctx.sys->spawn([ctx, reply](caf::blocking_actor* self) {
    auto rows = ctx.health->snapshot();
    int running = 0, failed = 0;
    for (auto& r : rows) {
      running += r.state == actor_run_state::running;
      failed += r.state == actor_run_state::failed;
    }
    auto cfg = ctx.config->get();
    auto now = system_time_source::instance().wall_now();
    auto body = json{
      {"version", "0.1.0"},
      {"pid", static_cast<long>(getpid())},
      {"mode", ctx.mode},
      {"read_only", ctx.read_only},
      {"config_hash", cfg->hash},
      {"config_dir", cfg->dir},
      {"started_at", format_rfc3339_ms(ctx.started)},
      {"uptime_s", (now - ctx.started) / ns_per_s},
      {"actors", json{{"total", rows.size()}, {"running", running}, {"failed", failed}}},
      {"healthy", ctx.health->all_running()},
    };
    if (ctx.store_status)
      body["state_store"] = ctx.store_status();
    body["safe_halt"] = ctx.safe_halt_status ? ctx.safe_halt_status() : json{{"halted", false}};
    body["gate"] = json{{"open", false}, {"unknown", "risk actor unavailable"}};
    if (auto risk = ctx.reg->get(names::risk))
      self->request(risk, std::chrono::seconds(2), get_gate{})
        .receive([&](const gate_changed& g) { body["gate"] = gate_to_json(g); },
                 [&](const caf::error& err) {
                   body["gate"] = json{{"open", false}, {"unknown", "risk actor unavailable: " + describe(err)}};
                 });
    if (auto risk = ctx.reg->get(names::risk))  // NAV, exposure, PnL (risk's view, summarised)
      self->request(risk, std::chrono::seconds(2), risk::risk_view_atom::value)
        .receive(
          [&](const std::string& s) {
            auto j = json::parse(s, nullptr, false);
            if (j.is_object())
              body["risk"] = json{{"exposure", j.value("exposure", json::object())}, {"loss", j.value("loss", json::object())}};
          },
          [&](const caf::error&) {});
    body["exchange"] = exchange_status(ctx, self);
    reply(control::reply::success(std::move(body)));
  });
}

void gate(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  ask<gate_changed>(ctx, names::risk, std::chrono::seconds(5), reply, gate_reply, unavailable("risk: "), get_gate{});
}

/// on_error for the gate's requests: a refusal (risk's reason, e.g. the cause still holds)
/// is `refused`; anything else `unavailable`, prefixed with what failed.
auto gate_refusal(std::string prefix) {
  return [prefix = std::move(prefix)](const caf::error& err) {
    if (is(err, errc::rejected))
      return control::reply::failure(control::error_code::refused, describe(err));
    return control::reply::failure(control::error_code::unavailable, prefix + describe(err));
  };
}

/// Clears one gate reason, sticky ones included; the risk actor audits it. Refused while a
/// source still asserts the reason, and for `startup` until a reconcile ran unless "force".
void resume(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto name = req.args.value("reason", std::string{});
  auto reason = parse_gate_reason(name);
  if (!reason) {
    reply(control::reply::failure(control::error_code::bad_request, "unknown gate reason '" + name + "'"));
    return;
  }
  auto force_arg = req.args.find("force");
  if (force_arg != req.args.end() && !force_arg->is_boolean()) {
    reply(control::reply::failure(control::error_code::bad_request, "\"force\" must be true or false"));
    return;
  }
  bool force = force_arg != req.args.end() && force_arg->get<bool>();
  spdlog::warn("control: resume reason={}{} uid={}", name, force ? " (forced)" : "", req.peer.uid);
  ask<gate_changed>(ctx, names::risk, std::chrono::seconds(10), reply, gate_reply, gate_refusal("risk: "),
                    resume_gate{*reason, caller(req), force});
}

/// The kill switch while risk is not running (safe halt: the subtree holding risk is gone):
/// written straight into the state store, so risk's next instance (after the operator's
/// restart) starts with it; the answer says so, or that it is NOT durable. Blocks the calling
/// thread for one LMDB commit.
control::reply kill_without_risk(const control_context& ctx, const std::string& why, const std::string& by,
                                 bool cancelled) {
  spdlog::critical("control: KILL SWITCH: risk is not running; writing kill_switch straight into the state store");
  auto at = system_time_source::instance().wall_now();
  gate_write w{false, "no state store wiring", {}};
  if (ctx.persist_kill_switch)
    w = ctx.persist_kill_switch(why + " (by " + by + ")", at);
  if (w.ok)
    spdlog::critical("control: KILL SWITCH persisted without risk: {}", w.detail);
  else
    spdlog::critical("control: KILL SWITCH NOT durable: {}", w.detail);
  // risk may have come back meanwhile (a restart by its supervisor): tell it too; the gate
  // ignores a reason it already holds.
  if (auto risk = ctx.reg->get(names::risk))
    caf::anon_send(risk, gate_signal{gate_reason::kill_switch, true, why, "control " + by, at, {}});
  ctx.reg->anon_send(names::alerting,
                     alert{"kill_switch", severity::critical, "kill_switch", "kill switch engaged: cancels only",
                           "by control " + by + ": " + why + "; risk was not running: "
                             + (w.ok ? "written straight into the state store" : "NOT durable: " + w.detail)
                             + "; released only by `traderctl resume kill_switch`",
                           "control", false, at});
  return kill_reply_without_risk(w, cancelled ? std::string{} : std::string{no_order_lifecycle});
}

/// Engages the kill switch: gate closed (cancels only) and cancel-all. The answer comes once
/// the kill switch is persisted (a failed write is an error reply: in force, not durable).
/// Without an order_lifecycle to cancel open orders, the log and the reply ("warning") say so.
/// Without risk (safe halt) the kill switch goes straight into the store (kill_without_risk).
void kill(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto why = req.args.value("reason", std::string{"operator kill switch"});
  spdlog::critical("control: KILL SWITCH engaged uid={} reason={}", req.peer.uid, why);
  bool cancelled = false;
  if (auto orders = ctx.reg->get(names::order_lifecycle)) {
    caf::anon_send(orders, cancel_all{"kill switch: " + why});
    cancelled = true;
  } else {
    spdlog::critical("control: KILL SWITCH: {}", no_order_lifecycle);
  }
  if (!ctx.reg->get(names::risk)) {
    reply(kill_without_risk(ctx, why, caller(req), cancelled));
    return;
  }
  auto with_orders = [cancelled](const gate_changed& g) {
    auto body = gate_to_json(g);
    if (!cancelled)
      body["warning"] = no_order_lifecycle;
    return control::reply::success(std::move(body));
  };
  // Answered only once the kill switch is durable in the store (review row #14). risk gone
  // between the look-up and the answer (its subtree just gave up) is the no-risk case, which
  // blocks on a commit: hence a detached actor (a thread of its own, not a scheduler thread).
  auto signal = gate_signal{gate_reason::kill_switch, true, why, "control " + caller(req),
                            system_time_source::instance().wall_now(), {}};
  ctx.sys->spawn<caf::detached>([=, by = caller(req)](caf::event_based_actor* self) {
    self->request(ctx.reg->get(names::risk), std::chrono::seconds(10), raise_gate{signal})
      .then([=](const gate_changed& g) { reply(with_orders(g)); },
            [=](caf::error& err) {
              if (!ctx.reg->get(names::risk) && !is(err, errc::state_unavailable))
                reply(kill_without_risk(ctx, why, by, cancelled));
              else
                reply(unavailable("kill switch NOT confirmed durable, risk: ")(err));
            });
  });
}

void actors(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  auto arr = json::array();
  for (auto& r : ctx.health->snapshot())
    arr.push_back(health_json(r));
  reply(control::reply::success(json{{"actors", arr}}));
}

/// Restarts one actor through its own supervisor, answering when it runs again.
void restart(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto name = req.args.value("actor", std::string{});
  std::string parent;
  for (auto& r : ctx.health->snapshot())
    if (r.name == name)
      parent = r.parent;
  if (name.empty() || parent.empty()) {
    reply(control::reply::failure(control::error_code::bad_request,
                                  name.empty() ? "missing argument: actor" : "no restartable actor named '" + name + "'"));
    return;
  }
  auto sup = ctx.reg->get(parent);
  if (!sup) {
    reply(control::reply::failure(control::error_code::unavailable, "supervisor " + parent + " is not running"));
    return;
  }
  spdlog::info("control: restart actor={} supervisor={} uid={}", name, parent, req.peer.uid);
  auto t0 = system_time_source::instance().mono_now();
  ask<caf::ok_atom>(
    ctx, parent, std::chrono::seconds(60), reply,
    [=](caf::ok_atom) {
      auto ms = static_cast<double>(system_time_source::instance().mono_now() - t0) / 1e6;
      return control::reply::success(json{{"restarted", name}, {"elapsed_ms", ms}});
    },
    unavailable(""), core::sup_restart_atom::value, name);
}

void alert_test_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  ask<std::int64_t>(
    ctx, names::alerting, std::chrono::seconds(5), reply,
    [](std::int64_t n) { return control::reply::success(json{{"notifications", n}}); }, unavailable("alerting: "),
    alert_test{caller(req)});
}

void alert_ack_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto fp = req.args.value("fingerprint", std::string{});
  if (fp.empty()) {
    reply(control::reply::failure(control::error_code::bad_request, "missing argument: fingerprint"));
    return;
  }
  ask<bool>(
    ctx, names::alerting, std::chrono::seconds(5), reply,
    [fp](bool known) {
      return known ? control::reply::success(json{{"acknowledged", fp}})
                   : control::reply::failure(control::error_code::bad_request, "no active alert with fingerprint " + fp);
    },
    unavailable("alerting: "), alert_ack{fp, caller(req)});
}

/// The latency actor's report: per endpoint/stage count, p50/p95/p99/max, budget, violations.
void latency_cmd(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  ask<std::string>(
    ctx, names::latency, std::chrono::seconds(5), reply,
    [](const std::string& s) { return control::reply::success(json::parse(s, nullptr, false)); },
    unavailable("latency: "), latency_report_request{});
}

void reload(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  spdlog::info("control: reload uid={}", req.peer.uid);
  auto out = ctx.reload();
  auto body = json{{"applied", out.applied},
                   {"message", out.message},
                   {"old_hash", out.old_hash},
                   {"new_hash", out.new_hash},
                   {"changed_sections", out.changed_sections},
                   {"problems", out.problems}};
  if (out.applied || out.problems.empty())
    reply(control::reply::success(body));
  else
    reply(control::reply::failure(control::error_code::bad_request, out.message + ": " + body.dump()));
}

/// Test hook (TRADER_TEST_HOOKS=1 only): block the debug probe actor for {"ms": N}.
void debug_wedge(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto ms = req.args.value("ms", std::int64_t{5000});
  auto probe_actor = ctx.reg->get(names::probe);
  if (!probe_actor)
    return reply(control::reply::failure(control::error_code::unavailable, "the debug probe actor is not running"));
  probe::send_wedge(probe_actor, ms);
  reply(control::reply::success(json{{"wedged_ms", ms}}));
}

/// Test hook (TRADER_TEST_HOOKS=1 only): the actor registered as {"actor": NAME} dies as if
/// a handler had thrown (exit reason sec::runtime_error, through its urgent queue), so its
/// supervisor restarts it or, past its restart intensity, escalates (review rows #3, #4).
void debug_crash(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto name = req.args.value("actor", std::string{});
  auto target = name.empty() ? caf::actor{} : ctx.reg->get(name);
  if (!target)
    return reply(control::reply::failure(control::error_code::bad_request,
                                         name.empty() ? "missing argument: actor" : "no running actor named '" + name + "'"));
  spdlog::warn("debug: crashing actor {} (test hook) uid={}", name, req.peer.uid);
  core::send_exit_urgently(target, caf::make_error(caf::sec::runtime_error, "debug.crash (test hook)"));
  reply(control::reply::success(json{{"crashed", name}}));
}

/// debug.cycle (TEST HOOK): a decision cycle now, off the scheduler's timer — a stepped-clock
/// harness runs one at each simulated step, as backtest does (docs/backtest.md "Parity").
void debug_cycle(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  spdlog::info("debug: decision cycle on request (test hook) uid={}", req.peer.uid);
  ask<std::int64_t>(
    ctx, names::scheduler, std::chrono::seconds(5), reply,
    [](std::int64_t cycle) { return control::reply::success(json{{"cycle", cycle}}); }, unavailable("scheduler: "),
    scheduler::cycle_now_atom::value);
}

} // namespace

void register_core_commands(control::control_server& server, const control_context& ctx) {
  using handler = void (*)(const control_context&, const control::request&, const control::reply_fn&);
  auto add = [&](const char* name, const char* description, handler fn,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds{0}) {
    server.register_command(
      name, description, [ctx, fn](const control::request& r, const control::reply_fn& f) { fn(ctx, r, f); }, timeout);
  };
  add("status", "mode, config hash, uptime, actor health summary", status);
  add("actors", "supervision tree: state, restarts, last failure per actor", actors);
  add("restart", "restart one actor through its supervisor: {\"actor\": NAME}", restart, std::chrono::seconds(70));
  add("gate", "trading gate: open or closed, with every reason", gate);
  add("resume", "clear one gate reason, sticky ones included: {\"reason\": NAME}", resume);
  add("kill", "kill switch: close the gate (cancels only) and cancel all open orders", kill);
  add("alert.test", "send a staging alert through every configured sink", alert_test_cmd);
  add("alert.ack", "acknowledge an active alert (stops escalation): {\"fingerprint\": FP}", alert_ack_cmd);
  add("latency", "per-endpoint latency percentiles, budgets and violations", latency_cmd);
  add("reload", "validate the configuration directory again and apply it if valid", reload);
  if (probe::test_hooks_enabled())
    add("debug.wedge", "TEST HOOK: block the debug probe actor: {\"ms\": N}", debug_wedge);
  if (probe::test_hooks_enabled())
    add("debug.cycle", "TEST HOOK: a decision cycle now, off the scheduler's timer; answers its number", debug_cycle);
  if (probe::test_hooks_enabled())
    add("debug.crash", "TEST HOOK: make an actor die as if it threw: {\"actor\": NAME}", debug_crash);
  register_order_commands(server, ctx);  // orders, positions, pnl, cancel-all (order_commands.cpp)
  register_risk_commands(server, ctx);   // risk, halt (risk_commands.cpp)
  register_signal_commands(server, ctx);  // universe, signals, strategies (signal_commands.cpp)
  register_drift_commands(server, ctx);   // drift (drift_commands.cpp)
}

} // namespace trader::daemon
