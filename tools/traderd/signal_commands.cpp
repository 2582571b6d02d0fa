#include "tools/traderd/signal_commands.hpp"

#include "runtime/control/control_server.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>

#include <algorithm>
#include <cctype>

namespace trader::daemon {

namespace {

using nlohmann::json;

/// Asks actor `name` for a JSON string and answers with it as the result object.
template <class Request>
void ask_json(const control_context& ctx, const char* name, const control::reply_fn& reply, Request req = {}) {
  auto dest = ctx.reg->get(name);
  if (!dest)
    return reply(control::reply::failure(control::error_code::unavailable, std::string(name) + " is not running"));
  std::string who = name;
  ctx.sys->spawn([=](caf::event_based_actor* self) {
    self->request(dest, std::chrono::seconds(10), req)
      .then(
        [=](const std::string& s) {
          auto j = json::parse(s, nullptr, false);
          if (j.is_discarded() || !j.is_object())
            return reply(control::reply::failure(control::error_code::internal, who + " answered: " + s));
          reply(control::reply::success(std::move(j)));
        },
        [=](caf::error& err) {
          // A refusal (bad arguments, a ban the store did not take) is the universe's answer.
          const bool refused = is(err, errc::invalid_argument) || is(err, errc::state_unavailable);
          reply(control::reply::failure(refused ? control::error_code::refused : control::error_code::unavailable,
                                        who + ": " + describe(err)));
        });
  });
}

/// ban {"product", "hours", "reason"} / unban {"product"}: the universe persists the change
/// before it answers.
void ban_cmd(const control_context& ctx, const control::request& r, const control::reply_fn& f, bool ban) {
  auto product = r.args.value("product", std::string{});
  std::transform(product.begin(), product.end(), product.begin(), [](unsigned char c) { return std::toupper(c); });
  auto by = "control uid=" + std::to_string(r.peer.uid);
  if (product.empty())
    return f(control::reply::failure(control::error_code::bad_request, "a product is needed"));
  if (!ban)
    return ask_json<unban_product>(ctx, names::universe, f, unban_product{product_id{product}, by});
  const auto hours = r.args.value("hours", 0.0);
  if (!(hours > 0) || hours > 8760)
    return f(control::reply::failure(control::error_code::bad_request, "hours must be in (0, 8760]"));
  ask_json<ban_product>(ctx, names::universe, f,
                        ban_product{product_id{product}, hours, r.args.value("reason", std::string{}), by});
}

} // namespace

void register_signal_commands(control::control_server& server, const control_context& ctx) {
  server.register_command("universe", "the last cycle's universe: eligible products and exclusions with reasons",
                          [ctx](const control::request&, const control::reply_fn& f) {
                            ask_json<get_universe>(ctx, names::universe, f);
                          });
  server.register_command("ban",
                          "exclude a product for some hours (persisted, lifted at expiry): "
                          "{\"product\": ID, \"hours\": H, \"reason\": TEXT}",
                          [ctx](const control::request& r, const control::reply_fn& f) { ban_cmd(ctx, r, f, true); });
  server.register_command("unban", "lift a product's ban now: {\"product\": ID}",
                          [ctx](const control::request& r, const control::reply_fn& f) { ban_cmd(ctx, r, f, false); });
  server.register_command("signals", "the last cycle's signals per eligible product, blocks and the regime",
                          [ctx](const control::request&, const control::reply_fn& f) {
                            ask_json<get_signals>(ctx, names::triggers, f);
                          });
  server.register_command("strategies", "the last cycle's proposals, risk's verdicts and the no-trade reason",
                          [ctx](const control::request&, const control::reply_fn& f) {
                            ask_json<get_strategies>(ctx, names::strategies, f);
                          });
}

} // namespace trader::daemon
