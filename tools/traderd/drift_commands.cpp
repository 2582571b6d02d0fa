#include "tools/traderd/drift_commands.hpp"

#include "runtime/control/control_server.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>

namespace trader::daemon {

void register_drift_commands(control::control_server& server, const control_context& ctx) {
  server.register_command(
    "drift", "each strategy's live results against its backtest baseline: severity and why",
    [ctx](const control::request&, const control::reply_fn& reply) {
      auto dest = ctx.reg->get(names::drift);
      if (!dest)
        return reply(control::reply::failure(control::error_code::unavailable, "drift is not running"));
      ctx.sys->spawn([=](caf::event_based_actor* self) {
        self->request(dest, std::chrono::seconds(5), get_drift{})
          .then(
            [=](const std::string& s) {
              auto j = nlohmann::json::parse(s, nullptr, false);
              if (j.is_discarded() || !j.is_object())
                return reply(control::reply::failure(control::error_code::internal, "drift answered: " + s));
              reply(control::reply::success(std::move(j)));
            },
            [=](caf::error& err) {
              reply(control::reply::failure(control::error_code::unavailable, "drift: " + to_string(err)));
            });
      });
    });
}

} // namespace trader::daemon
