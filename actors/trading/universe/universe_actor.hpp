#pragma once
// The universe: which products this cycle may trade, and why each other one may not.
// Receives: decision_tick (scheduler) → builds the universe at tick.ts (pure
//             signals::build_universe) and sends universe_snapshot → triggers;
//           quote, product_status, feed_health (market_data, channels ticker + status):
//             spreads (each quote's mid through a bad-tick guard first: a held quote does not
//             change the spread; counted, the first per product audited) and statuses; product_list / candle_list (its own requests to products:
//             listing, quote currency, status, listing date (new_at, else the first daily
//             candle); 24 h volume of rotational products);
//           ban_product / unban_product (traderctl ban/unban): a temporary ban persisted with
//             its expiry in the state store before it is answered, audited; lifted (and
//             erased) automatically at expiry. Red flags (red_flags.hpp: bad_ticks,
//             wide_spread, status), evaluated at every decision_tick, raise the same ban by
//             themselves (store first, then in force; in force even when the store refuses,
//             since a ban only stops new entries), audited with the rule and its figures;
//           config_changed (traderd reload): re-reads universe.toml through options::reload; a
//             reload that cannot be applied is refused, logged and audited, the old rules stay;
//           get_universe (traderctl universe) → JSON of the last snapshot and the bans.
// Sends:    universe_snapshot → triggers; audit_entry "universe" → audit when the set or a
//           reason changes, "universe_ban" for every ban, unban and expiry, "config" for a
//           refused reload; alert empty_universe → alerting (resolved when it fills);
//           latency_sample cycle.universe → latency.
// On failure: permanent child of `trading` (rest_for_one: triggers and strategies restart
//             after it); it re-reads the product list, the bans (state store) and resubscribes.

#include "actors/trading/signals/bad_tick_guard.hpp"
#include "actors/trading/signals/universe_rules.hpp"
#include "actors/trading/universe/ban_store.hpp"
#include "actors/trading/universe/red_flags.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::universe {

/// What a reload may change; a non-empty error refuses it (the running rules stay).
struct reloaded {
  signals::universe_rules rules;
  std::chrono::seconds refresh{3600};
  signals::bad_tick_params quote_guard;
  red_flag_params red_flags;
  std::string error;
};

struct options {
  signals::universe_rules rules;
  std::chrono::seconds refresh{3600};  ///< [universe] refresh_interval_s: product list and volumes.
  std::chrono::seconds retry{30};      ///< A failed refresh is retried after this.
  signals::bad_tick_params quote_guard;  ///< [bad_tick]: a quote whose mid jumps is held (spread not used).
  red_flag_params red_flags;           ///< [red_flags]: rules that raise a temporary ban by themselves.
  std::shared_ptr<ban_store> bans;     ///< Persisted bans; null = in memory only (lost on restart).
  std::function<reloaded()> reload;    ///< Re-reads universe.toml on config_changed; empty = ignored.
  std::function<ts_ns()> now;          ///< Wall clock for bans (tests: a fake); empty = system time.
  prometheus::Registry* metrics = nullptr;  ///< trader_universe_*; null = none.
};

caf::actor spawn_universe(caf::actor_system& sys, core::registry& reg, options opts);

} // namespace trader::universe
