#include "tools/traderd/live_gates.hpp"

#include "messages/exchange.hpp"
#include "runtime/config/mode_gate.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/state_store.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace trader::daemon {

/// LIVE start gate: the clock actor measures our clock against the exchange's server time
/// now; above circuit_breakers.max_clock_skew_ms (or when it cannot measure) LIVE refuses to
/// start. The clock actor has already raised the clock_skew alert and gate reason by then.
bool live_clock_ok(caf::actor_system& sys, core::registry& reg, const config::trader_config& cfg) {
  caf::scoped_actor self{sys};
  auto clock = reg.get(names::clock);
  if (!clock) {
    spdlog::critical("refusing LIVE: the clock actor is not running, clock skew unknown");
    return false;
  }
  bool ok = false;
  // Three probes, each bounded by the request timeout and its retries.
  auto budget = std::chrono::milliseconds{cfg.exchange.request_timeout_ms * 4 + 5000};
  self->request(clock, budget, measure_clock{})
    .receive(
      [&](const clock_sample& c) {
        ok = c.within_limit;
        if (ok)
          spdlog::info("clock check: offset {:.1f} ms within {} ms", static_cast<double>(c.offset_ns) / 1e6,
                       cfg.circuit_breakers.max_clock_skew_ms);
        else
          spdlog::critical("refusing LIVE: {}", c.reason.empty() ? "clock skew above the limit" : c.reason);
      },
      [&](const caf::error& e) { spdlog::critical("refusing LIVE: clock check failed: {}", describe(e)); });
  return ok;
}

/// The "LIVE only after N hours of PAPER with this trading hash" policy; fails closed when
/// the store cannot say how long the hash ran.
bool live_paper_time_ok(const config::trader_config& cfg, const std::string& trading_hash, const daemon_context& ctx) {
  if (cfg.live.min_paper_hours <= 0)
    return true;
  std::chrono::seconds paper{0};
  if (!ctx.store) {
    spdlog::critical("refusing LIVE: live.min_paper_hours = {} but the state store is unavailable ({})",
                     cfg.live.min_paper_hours, ctx.store_error);
    return false;
  }
  auto rec = ctx.store->get<persistence::config_hash_record>(trading_hash);
  if (!rec) {
    spdlog::critical("refusing LIVE: cannot read PAPER time of {}: {}", trading_hash, rec.error().describe());
    return false;
  }
  if (*rec)
    paper = std::chrono::seconds((*rec)->paper_seconds);
  auto d = config::check_paper_time(cfg, trading_hash, paper);
  if (!d.allowed)
    spdlog::critical("{}", d.message);
  return d.allowed;
}

} // namespace trader::daemon
