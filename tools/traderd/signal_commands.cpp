#include "tools/traderd/signal_commands.hpp"

#include "runtime/control/control_server.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>

namespace trader::daemon {

namespace {

using nlohmann::json;

/// Asks actor `name` for a JSON string and answers with it as the result object.
template <class Request>
void ask_json(const control_context& ctx, const char* name, const control::reply_fn& reply) {
  auto dest = ctx.reg->get(name);
  if (!dest)
    return reply(control::reply::failure(control::error_code::unavailable, std::string(name) + " is not running"));
  std::string who = name;
  ctx.sys->spawn([=](caf::event_based_actor* self) {
    self->request(dest, std::chrono::seconds(5), Request{})
      .then(
        [=](const std::string& s) {
          auto j = json::parse(s, nullptr, false);
          if (j.is_discarded() || !j.is_object())
            return reply(control::reply::failure(control::error_code::internal, who + " answered: " + s));
          reply(control::reply::success(std::move(j)));
        },
        [=](caf::error& err) {
          reply(control::reply::failure(control::error_code::unavailable, who + ": " + to_string(err)));
        });
  });
}

} // namespace

void register_signal_commands(control::control_server& server, const control_context& ctx) {
  server.register_command("universe", "the last cycle's universe: eligible products and exclusions with reasons",
                          [ctx](const control::request&, control::reply_fn f) {
                            ask_json<get_universe>(ctx, names::universe, f);
                          });
  server.register_command("signals", "the last cycle's signals per eligible product, blocks and the regime",
                          [ctx](const control::request&, control::reply_fn f) {
                            ask_json<get_signals>(ctx, names::triggers, f);
                          });
  server.register_command("strategies", "the last cycle's proposals, risk's verdicts and the no-trade reason",
                          [ctx](const control::request&, control::reply_fn f) {
                            ask_json<get_strategies>(ctx, names::strategies, f);
                          });
}

} // namespace trader::daemon
