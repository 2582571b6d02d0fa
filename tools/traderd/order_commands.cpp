#include "tools/traderd/order_commands.hpp"

#include "actors/control/probe/debug_probe.hpp"
#include "actors/trading/order_lifecycle/order_lifecycle_actor.hpp"
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
namespace ol = order_lifecycle;

/// Asks order_lifecycle for a JSON string and answers with it as the result object.
template <class... Ts>
void ask_json(const control_context& ctx, std::chrono::seconds timeout, const control::reply_fn& reply, Ts... xs) {
  auto dest = ctx.reg->get(names::order_lifecycle);
  if (!dest)
    return reply(control::reply::failure(control::error_code::unavailable, "order_lifecycle is not running"));
  ctx.sys->spawn([=](caf::event_based_actor* self) {
    self->request(dest, timeout, xs...)
      .then(
        [=](const std::string& s) {
          auto j = json::parse(s, nullptr, false);
          if (j.is_discarded() || !j.is_object())
            return reply(control::reply::failure(control::error_code::internal, "order_lifecycle answered: " + s));
          reply(control::reply::success(std::move(j)));
        },
        [=](caf::error& err) {
          auto code = is(err, errc::rejected) ? control::error_code::refused : control::error_code::unavailable;
          reply(control::reply::failure(code, "order_lifecycle: " + describe(err)));
        });
  });
}

void orders_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto open = req.args.value("open", false);
  ask_json(ctx, std::chrono::seconds(10), reply, ol::ol_orders_atom::value, open);
}

void positions_cmd(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  ask_json(ctx, std::chrono::seconds(10), reply, ol::ol_positions_atom::value);
}

void pnl_cmd(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  ask_json(ctx, std::chrono::seconds(10), reply, ol::ol_pnl_atom::value);
}

/// flatten [SYMBOL]: reduce-only market sells of the long positions (one product, or all),
/// after cancelling their working orders; allowed while the gate is closed for entries,
/// refused under the kill switch (order_lifecycle asks risk's gate; docs/orders.md "Flatten").
void flatten_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto product = req.args.value("product", std::string{});
  auto why = req.args.value("reason", std::string{"operator flatten"});
  spdlog::warn("control: flatten {} uid={} reason={}", product.empty() ? "all" : product, req.peer.uid, why);
  ask_json(ctx, std::chrono::seconds(100), reply,
           flatten_positions{product_id{product}, why + " (" + caller(req) + ")"});
}

void shadow_cmd(const control_context& ctx, const control::request&, const control::reply_fn& reply) {
  ask_json(ctx, std::chrono::seconds(10), reply, ol::ol_shadow_atom::value);
}

/// balances [--rebase CUR]: the last balance check; with "rebase", an operator's re-base of a
/// traded currency after a deposit or withdrawal (docs/orders.md "Balances vs positions").
void balances_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto rebase = req.args.value("rebase", std::string{});
  if (rebase.empty())
    return ask_json(ctx, std::chrono::seconds(10), reply, ol::ol_balances_atom::value);
  auto why = req.args.value("reason", std::string{"operator re-base"});
  spdlog::warn("control: balances rebase {} uid={} reason={}", rebase, req.peer.uid, why);
  ask_json(ctx, std::chrono::seconds(10), reply, ol::ol_balances_atom::value, rebase,
           why + " (" + caller(req) + ")");
}

void cancel_all_cmd(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  auto why = req.args.value("reason", std::string{"operator cancel-all"});
  spdlog::warn("control: cancel-all uid={} reason={}", req.peer.uid, why);
  ask_json(ctx, std::chrono::seconds(100), reply, cancel_all{why + " (" + caller(req) + ")"});
}

/// Test hook (TRADER_TEST_HOOKS=1 only): one order intent straight to order_lifecycle, as risk
/// would send it: {"product": "BTC-USD", "side": "buy"|"sell", "type": "limit"|"market",
/// "size": "0.001", "quote_size": "10", "limit_px": "50000", "post_only": bool,
/// "reduce_only": bool, "strategy": "manual", "client_order_id": optional}.
void debug_intent(const control_context& ctx, const control::request& req, const control::reply_fn& reply) {
  order_intent in;
  auto& a = req.args;
  in.product = product_id{a.value("product", std::string{})};
  auto dir = a.value("side", std::string{"buy"});
  auto type = a.value("type", std::string{"limit"});
  if ((dir != "buy" && dir != "sell") || (type != "limit" && type != "market"))
    return reply(control::reply::failure(control::error_code::bad_request, "side must be buy|sell, type limit|market"));
  in.dir = dir == "buy" ? side::buy : side::sell;
  in.type = type == "limit" ? order_type::limit : order_type::market;
  in.tif = in.type == order_type::limit ? time_in_force::gtc : time_in_force::ioc;
  auto parse = [&](const char* k, std::int64_t& units) {
    auto s = a.value(k, std::string{});
    if (s.empty())
      return true;
    auto u = detail::parse_units(s);
    if (!u)
      return false;
    units = *u;
    return true;
  };
  if (!parse("size", in.base_size.units) || !parse("quote_size", in.quote_size.units) ||
      !parse("limit_px", in.limit_px.units))
    return reply(control::reply::failure(control::error_code::bad_request, "size, quote_size, limit_px: decimals"));
  in.post_only = a.value("post_only", in.type == order_type::limit);
  in.reduce_only = a.value("reduce_only", false);
  in.proposal_id = a.value("strategy", std::string{"manual"}) + ":debug-" + std::to_string(req.id);
  in.id = client_order_id{a.value("client_order_id", std::string{})};
  in.ts_created = system_time_source::instance().wall_now();
  spdlog::warn("debug: order intent (test hook) uid={} {}", req.peer.uid, a.dump());
  ask_json(ctx, std::chrono::seconds(100), reply, in);
}

} // namespace

void register_order_commands(control::control_server& server, const control_context& ctx) {
  using handler = void (*)(const control_context&, const control::request&, const control::reply_fn&);
  auto add = [&](const char* name, const char* description, handler fn,
                 std::chrono::milliseconds timeout = std::chrono::milliseconds{0}) {
    server.register_command(
      name, description, [ctx, fn](const control::request& r, const control::reply_fn& f) { fn(ctx, r, f); }, timeout);
  };
  add("orders", "orders from order_lifecycle: {\"open\": true} for the live ones only", orders_cmd);
  add("positions", "positions from the ledger: qty, average entry, realized PnL, fees", positions_cmd);
  add("pnl", "realized PnL of the UTC day, ISO week and total, net of fees", pnl_cmd);
  add("cancel-all", "cancel every open order of the account (read from the exchange): {\"reason\": TEXT}",
      cancel_all_cmd, std::chrono::seconds(110));
  add("flatten", "close long positions with reduce-only market sells: {\"product\": SYMBOL} (all when absent)",
      flatten_cmd, std::chrono::seconds(110));
  add("balances",
      "base balances vs ledger positions (last check, baseline); {\"rebase\": CUR, \"reason\": TEXT} re-bases a "
      "currency after a deposit or withdrawal",
      balances_cmd);
  add("shadow", "shadow mode: simulated vs actual fills (price, time, size) of the orders sent", shadow_cmd);
  if (probe::test_hooks_enabled())
    add("debug.intent", "TEST HOOK: send one order intent to order_lifecycle (see order_commands.cpp)", debug_intent,
        std::chrono::seconds(110));
}

void cancel_orders_on_shutdown(caf::actor_system& sys, core::registry& reg, const config::trader_config& cfg,
                               std::chrono::seconds timeout) {
  if (cfg.app.mode == config::trading_mode::dry_run)
    return;  // nothing of ours is at the exchange
  if (!cfg.execution.cancel_on_shutdown) {
    spdlog::info("shutdown: open orders left on the exchange (execution.cancel_on_shutdown = false)");
    return;
  }
  auto dest = reg.get(names::order_lifecycle);
  if (!dest) {
    spdlog::error("shutdown: order_lifecycle is not running: open orders are not cancelled");
    return;
  }
  spdlog::warn("shutdown: cancelling every open order (execution.cancel_on_shutdown)");
  caf::scoped_actor self{sys};
  self->request(dest, timeout, cancel_all{"shutdown (execution.cancel_on_shutdown)"})
    .receive([](const std::string& s) { spdlog::warn("shutdown: cancel-all answered {}", s); },
             [](caf::error& e) { spdlog::error("shutdown: cancel-all failed: {}", describe(e)); });
}

} // namespace trader::daemon
