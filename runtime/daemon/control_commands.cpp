#include "runtime/daemon/control_commands.hpp"

#include "messages/names.hpp"
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

void status(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  auto rows = ctx.health->snapshot();
  int running = 0, failed = 0;
  for (auto& r : rows) {
    running += r.state == actor_run_state::running;
    failed += r.state == actor_run_state::failed;
  }
  auto cfg = ctx.config->get();
  auto now = system_time_source::instance().wall_now();
  reply(control::reply::success(json{
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
  }));
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
  server.register_command("reload", "validate the configuration directory again and apply it if valid",
                          [ctx](const control::request& r, control::reply_fn f) { reload(ctx, r, f); });
}

} // namespace trader::daemon
