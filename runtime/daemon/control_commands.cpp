#include "runtime/daemon/control_commands.hpp"

#include "actors/risk/trading_gate.hpp"
#include "messages/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "messages/ops.hpp"
#include "runtime/clock.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/core/atoms.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/registry.hpp"

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
              {"last_failure", r.last_failure},
              {"last_failure_at", r.last_failure_ts ? format_rfc3339_ms(r.last_failure_ts) : ""},
              {"started_at", r.started_ts ? format_rfc3339_ms(r.started_ts) : ""}};
}

/// Runs f(self) in a one-shot actor: the bridge from the control thread to actors.
template <class F>
void with_actor(const control_context& ctx, F f) {
  ctx.sys->spawn([f](caf::event_based_actor* self) { f(self); });
}

nlohmann::json gate_to_json(const gate_changed& g) { return json::parse(risk::gate_json(g)); }

void status(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  auto rows = ctx.health->snapshot();
  int running = 0, failed = 0;
  for (auto& r : rows) {
    running += r.state == actor_run_state::running;
    failed += r.state == actor_run_state::failed;
  }
  auto cfg = ctx.config->get();
  auto now = system_time_source::instance().wall_now();
  auto body = std::make_shared<json>(json{
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
  });
  auto risk = ctx.reg->get("risk");
  with_actor(ctx, [=](caf::event_based_actor* self) {
    self->request(risk, std::chrono::seconds(2), get_gate{})
      .then(
        [=](const gate_changed& g) {
          (*body)["gate"] = gate_to_json(g);
          reply(control::reply::success(*body));
        },
        [=](caf::error& err) {
          (*body)["gate"] = json{{"open", false}, {"unknown", "risk actor unavailable: " + describe(err)}};
          reply(control::reply::success(*body));
        });
  });
}

void gate(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  auto risk = ctx.reg->get("risk");
  with_actor(ctx, [=](caf::event_based_actor* self) {
    self->request(risk, std::chrono::seconds(5), get_gate{})
      .then([=](const gate_changed& g) { reply(control::reply::success(gate_to_json(g))); },
            [=](caf::error& err) {
              reply(control::reply::failure(control::error_code::unavailable, "risk: " + describe(err)));
            });
  });
}

/// Clears one gate reason, sticky ones included; the risk actor audits it.
void resume(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto name = req.args.value("reason", std::string{});
  auto reason = parse_gate_reason(name);
  if (!reason) {
    reply(control::reply::failure(control::error_code::bad_request, "unknown gate reason '" + name + "'"));
    return;
  }
  spdlog::warn("control: resume reason={} uid={}", name, req.peer.uid);
  auto risk = ctx.reg->get("risk");
  auto by = "uid=" + std::to_string(req.peer.uid);
  with_actor(ctx, [=](caf::event_based_actor* self) {
    self->request(risk, std::chrono::seconds(5), resume_gate{*reason, by})
      .then([=](const gate_changed& g) { reply(control::reply::success(gate_to_json(g))); },
            [=](caf::error& err) {
              reply(control::reply::failure(control::error_code::unavailable, "risk: " + describe(err)));
            });
  });
}

/// Engages the kill switch: gate closed (cancels only) and cancel-all.
void kill(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto why = req.args.value("reason", std::string{"operator kill switch"});
  spdlog::critical("control: KILL SWITCH engaged uid={} reason={}", req.peer.uid, why);
  auto now = system_time_source::instance().wall_now();
  auto risk = ctx.reg->get("risk");
  if (auto orders = ctx.reg->get("order_lifecycle"))
    caf::anon_send(orders, cancel_all{"kill switch: " + why});
  with_actor(ctx, [=](caf::event_based_actor* self) {
    self->send(risk, gate_signal{gate_reason::kill_switch, true, why, "control uid=" + std::to_string(req.peer.uid), now});
    self->request(risk, std::chrono::seconds(5), get_gate{})
      .then([=](const gate_changed& g) { reply(control::reply::success(gate_to_json(g))); },
            [=](caf::error& err) {
              reply(control::reply::failure(control::error_code::unavailable,
                                            "kill switch NOT confirmed, risk: " + describe(err)));
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
  ctx.sys->spawn([sup, name, reply, t0](caf::event_based_actor* self) {
    self->request(sup, std::chrono::seconds(60), core::sup_restart_atom::value, name)
      .then(
        [=](caf::ok_atom) {
          auto ms = (system_time_source::instance().mono_now() - t0) / 1e6;
          reply(control::reply::success(json{{"restarted", name}, {"elapsed_ms", ms}}));
        },
        [=](caf::error& err) { reply(control::reply::failure(control::error_code::unavailable, describe(err))); });
  });
}

void alert_test_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto alerting = ctx.reg->get("alerting");
  auto by = "uid=" + std::to_string(req.peer.uid);
  with_actor(ctx, [=](caf::event_based_actor* self) {
    self->request(alerting, std::chrono::seconds(5), alert_test{by})
      .then([=](std::int64_t n) { reply(control::reply::success(json{{"notifications", n}})); },
            [=](caf::error& err) {
              reply(control::reply::failure(control::error_code::unavailable, "alerting: " + describe(err)));
            });
  });
}

void alert_ack_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto fp = req.args.value("fingerprint", std::string{});
  if (fp.empty()) {
    reply(control::reply::failure(control::error_code::bad_request, "missing argument: fingerprint"));
    return;
  }
  auto alerting = ctx.reg->get("alerting");
  auto by = "uid=" + std::to_string(req.peer.uid);
  with_actor(ctx, [=](caf::event_based_actor* self) {
    self->request(alerting, std::chrono::seconds(5), alert_ack{fp, by})
      .then(
        [=](bool known) {
          if (known)
            reply(control::reply::success(json{{"acknowledged", fp}}));
          else
            reply(control::reply::failure(control::error_code::bad_request, "no active alert with fingerprint " + fp));
        },
        [=](caf::error& err) {
          reply(control::reply::failure(control::error_code::unavailable, "alerting: " + describe(err)));
        });
  });
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

} // namespace

void register_core_commands(control::control_server& server, const control_context& ctx) {
  server.register_command("status", "mode, config hash, uptime, actor health summary",
                          [ctx](const control::request& r, control::reply_fn f) { status(ctx, r, f); });
  server.register_command("actors", "supervision tree: state, restarts, last failure per actor",
                          [ctx](const control::request& r, control::reply_fn f) { actors(ctx, r, f); });
  server.register_command(
    "restart", "restart one actor through its supervisor: {\"actor\": NAME}",
    [ctx](const control::request& r, control::reply_fn f) { restart(ctx, r, f); }, std::chrono::seconds(70));
  server.register_command("gate", "trading gate: open or closed, with every reason",
                          [ctx](const control::request& r, control::reply_fn f) { gate(ctx, r, f); });
  server.register_command("resume", "clear one gate reason, sticky ones included: {\"reason\": NAME}",
                          [ctx](const control::request& r, control::reply_fn f) { resume(ctx, r, f); });
  server.register_command("kill", "kill switch: close the gate (cancels only) and cancel all open orders",
                          [ctx](const control::request& r, control::reply_fn f) { kill(ctx, r, f); });
  server.register_command("alert.test", "send a staging alert through every configured sink",
                          [ctx](const control::request& r, control::reply_fn f) { alert_test_cmd(ctx, r, f); });
  server.register_command("alert.ack", "acknowledge an active alert (stops escalation): {\"fingerprint\": FP}",
                          [ctx](const control::request& r, control::reply_fn f) { alert_ack_cmd(ctx, r, f); });
  server.register_command("reload", "validate the configuration directory again and apply it if valid",
                          [ctx](const control::request& r, control::reply_fn f) { reload(ctx, r, f); });
}

} // namespace trader::daemon
