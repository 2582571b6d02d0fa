#pragma once
// The paper venue as an actor: order_lifecycle's orders/fills endpoint in PAPER mode.
// Receives: quote (market_data, subscribed to "quotes"); create_order → order_ack,
//           cancel_orders → cancel_results, get_order → order_update (errc::exchange_error
//           "… not_found" when unknown), list_open_orders / list_recent_orders → order_list, get_fills →
//           fill_list, get_balances → balance_list (the same protocol as orders, fills and
//           accounts).
// Sends:    order_update and fill → its owner (order_lifecycle) after every change, after the
//           reply that caused it; subscribe_feed → market_data (again while not subscribed).
// On failure: linked to its owner: they die and restart together. The simulated account
//             (paper_venue) is shared and outlives both, so a restarted order_lifecycle finds
//             its paper orders where it left them; it does not outlive the process.

#include "tools/simex/paper/paper_venue.hpp"

#include <caf/fwd.hpp>

#include <functional>
#include <memory>
#include <mutex>

namespace trader::core {
class registry;
}

namespace trader::simex {

/// One simulated account for the process's lifetime, shared by successive venue actors.
struct shared_paper_venue {
  explicit shared_paper_venue(paper_options o) : venue(std::move(o)) {}
  std::mutex mu;
  paper_venue venue;
};

/// Spawns the venue linked to owner (order_lifecycle), which gets its order_update and fill.
caf::actor spawn_paper_venue(caf::event_based_actor* owner, core::registry& reg,
                             std::shared_ptr<shared_paper_venue> venue, std::function<ts_ns()> now);

} // namespace trader::simex
