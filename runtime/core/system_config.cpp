#include "runtime/core/system_config.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>

namespace trader::core {

system_config::system_config(const runtime_options& opts) {
  add_message_types<caf::id_block::trader>();
  add_message_types<caf::id_block::trader_exchange>();
  add_message_types<caf::id_block::trader_ops>();
  add_message_types<caf::id_block::trader_trading>();
  add_message_types<caf::id_block::trader_signals>();
  add_error_category(errc_category(), [](std::uint8_t code, caf::atom_value, const caf::message& ctx) {
    auto out = "trader:" + to_string(static_cast<errc>(code));
    if (!ctx.empty())
      out += " " + caf::to_string(ctx);
    return out;
  });
  if (opts.deterministic) {
    set("scheduler.policy", caf::atom("testing"));
  } else {
    set("scheduler.max-threads", opts.scheduler_threads);
    set("scheduler.max-throughput", opts.max_throughput);
    set("work-stealing.moderate-sleep-duration",
        caf::timespan{std::chrono::duration_cast<caf::timespan>(opts.moderate_sleep)});
  }
  set("logger.verbosity", caf::atom("quiet"));
}

} // namespace trader::core
