#include "tools/traderd/risk_commands.hpp"

#include "actors/trading/risk/risk_actor.hpp"
#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace trader::daemon {

namespace {

using nlohmann::json;

/// Requests xs from risk through a one-shot actor; on_value(T) builds the reply.
template <class T, class OnValue, class... Ts>
void ask_risk(const control_context& ctx, std::chrono::seconds timeout, const control::reply_fn& reply, OnValue on_value,
              const std::string& what, Ts... xs) {
  auto risk = ctx.reg->get(names::risk);
  if (!risk)
    return reply(control::reply::failure(control::error_code::unavailable, "risk is not running"));
  ctx.sys->spawn([=](caf::event_based_actor* self) {
    self->request(risk, timeout, xs...)
      .then([=](const T& v) { reply(on_value(v)); },
            [=](caf::error& err) {
              auto code = is(err, errc::rejected) ? control::error_code::refused : control::error_code::unavailable;
              reply(control::reply::failure(code, what + describe(err)));
            });
  });
}

void risk_cmd(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  ask_risk<std::string>(
    ctx, std::chrono::seconds(5), reply,
    [](const std::string& s) {
      auto j = json::parse(s, nullptr, false);
      if (j.is_discarded() || !j.is_object())
        return control::reply::failure(control::error_code::internal, "risk answered: " + s);
      return control::reply::success(std::move(j));
    },
    "risk: ", risk::risk_view_atom::value);
}

/// Closes the gate with operator_halt (sticky: survives a restart), answered once durable.
void halt_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto why = req.args.value("reason", std::string{"operator halt"});
  auto by = "control uid=" + std::to_string(req.peer.uid);
  spdlog::warn("control: HALT {} reason={}", by, why);
  ask_risk<gate_changed>(
    ctx, std::chrono::seconds(10), reply,
    [](const gate_changed& g) { return control::reply::success(json::parse(risk::gate_json(g))); },
    "halt NOT confirmed durable, risk: ",
    raise_gate{gate_signal{gate_reason::operator_halt, true, why, by, system_time_source::instance().wall_now(), {}}});
}

} // namespace

void register_risk_commands(control::control_server& server, const control_context& ctx) {
  server.register_command("risk", "limits and their current use, loss limits, pacing, protective exits, last verdicts",
                          [ctx](const control::request& r, const control::reply_fn& f) { risk_cmd(ctx, r, f); });
  server.register_command(
    "halt", "close the gate to new risk by hand (operator_halt; exits stay allowed): {\"reason\": TEXT}",
    [ctx](const control::request& r, const control::reply_fn& f) { halt_cmd(ctx, r, f); });
}

} // namespace trader::daemon
