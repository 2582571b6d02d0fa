#pragma once
// The universe: which products this cycle may trade, and why each other one may not.
// Receives: decision_tick (scheduler) → builds the universe at tick.ts (pure
//             signals::build_universe) and sends universe_snapshot → triggers;
//           quote, product_status, feed_health (market_data, channels ticker + status):
//             spreads and statuses; product_list / candle_list (its own requests to products:
//             listing, quote currency, status; 24 h volume of rotational products);
//           get_universe (traderctl universe) → JSON of the last snapshot.
// Sends:    universe_snapshot → triggers; audit_entry "universe" → audit when the set or a
//           reason changes; alert empty_universe → alerting (resolved when it fills);
//           latency_sample cycle.universe → latency.
// On failure: permanent child of `trading` (rest_for_one: triggers and strategies restart
//             after it); it re-reads the product list and resubscribes; bans are in memory
//             only (persisting them in the state store is left to do).

#include "actors/trading/signals/universe_rules.hpp"

#include <caf/fwd.hpp>

#include <chrono>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::universe {

struct options {
  signals::universe_rules rules;
  std::chrono::seconds refresh{3600};  ///< [universe] refresh_interval_s: product list and volumes.
  std::chrono::seconds retry{30};      ///< A failed refresh is retried after this.
  prometheus::Registry* metrics = nullptr;  ///< trader_universe_*; null = none.
};

caf::actor spawn_universe(caf::actor_system& sys, core::registry& reg, options opts);

} // namespace trader::universe
