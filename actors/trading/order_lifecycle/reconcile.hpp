#pragma once
// The reconcile diff (docs/orders.md "Reconcile"): the exchange is the truth for orders
// and fills. Pure: the actor gathers local orders and what the exchange says, this decides.
// Two steps: lookups_needed() names the client order ids to ask the exchange about
// (GET by client order id, cross-checked against the recent-orders list and the user
// stream), then reconcile() turns the answers into actions and mismatches. No CAF.

#include "actors/trading/order_lifecycle/order_state_machine.hpp"

#include "messages/ids.hpp"
#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/orders.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace trader::order_lifecycle {

/// An order as the store knows it (every non-final order: created, unknown, open,
/// partially_filled; canceled/expired/failed ones too while late facts may come).
struct local_order {
  client_order_id id;
  exchange_order_id exchange_id;  ///< Empty until acknowledged.
  product_id product;
  side dir = side::buy;
  order_state state = order_state::created;
  size ordered;                   ///< Zero when unknown (market buy by quote size).
  size filled;
  ts_ns updated_at = 0;           ///< Last change (for created/unknown: when it was sent or last looked up).
};

/// An order as the exchange reports it (open-orders list incl. PENDING/QUEUED, recent
/// orders, lookup by client order id, user stream snapshot).
struct exchange_order {
  exchange_order_id id;
  client_order_id client_id;
  product_id product;
  side dir = side::buy;
  bool dir_known = true;                  ///< False: the source did not say (dir is not compared).
  order_state state = order_state::open;  ///< open, partially_filled, filled, canceled, expired, rejected, failed.
  size ordered;
  size filled;                            ///< Cumulative.
  price limit_px;                         ///< Zero: market, or not reported.
  ts_ns created = 0;
};

/// What to do with an open order on the exchange that the store does not know.
/// (execution.unknown_order_policy; each one is a reconcile_mismatch line whatever the choice).
enum class unknown_order_policy : std::uint8_t {
  adopt,   ///< Track it as ours from now on (needs its side and size: else left alone, alerted).
  cancel,  ///< Cancel it.
  alert,   ///< "alert_only": leave it alone; the mismatch keeps the gate closed until an operator acts.
};
std::string_view to_string(unknown_order_policy p);

struct reconcile_policy {
  unknown_order_policy on_unknown = unknown_order_policy::cancel;
  /// A created/unknown order not found anywhere this long after updated_at is failed.
  std::int64_t not_found_window_ns = 60 * ns_per_s;
  /// PAPER: the simulated venue keeps no resting order across a daemon restart, so an order
  /// believed open that it does not know is resolved canceled, not a lost_open_order mismatch
  /// (which would hold the gate until an operator acts — found by the 60-minute soak).
  bool venue_forgets_open_orders = false;
};

/// Everything the exchange told us this cycle.
struct exchange_view {
  std::vector<exchange_order> open_orders;         ///< OPEN, PENDING and QUEUED orders.
  std::vector<exchange_order> recent_orders;       ///< List of recent orders (carries client_order_id).
  std::vector<exchange_order> found_by_client_id;  ///< Answers of the by-client-id lookups.
  std::vector<fill> recent_fills;                  ///< Fills since the last reconcile (or start).
};

/// A local order moved to the exchange's state.
struct order_resolution {
  client_order_id id;
  exchange_order_id exchange_id;
  order_state from = order_state::created;
  order_state to = order_state::open;
  size filled;
  const char* note = "";  ///< The state machine row's note.
};

/// What disagreed; each is a line of the reconcile_mismatch alert.
enum class mismatch_kind : std::uint8_t {
  unknown_exchange_order,  ///< Open on the exchange, not in the store.
  lost_open_order,         ///< Open in the store, nowhere on the exchange (not found by client id either).
  state_refused,           ///< The exchange's state cannot follow ours (backwards, decreased fill, overfill).
  identity_conflict,       ///< Found by client id but product/side/exchange id differ from ours.
  fill_for_unknown_order,  ///< A fill whose order neither side knows (booked anyway).
};
std::string_view to_string(mismatch_kind k);

struct mismatch {
  mismatch_kind kind = mismatch_kind::unknown_exchange_order;
  std::string id;      ///< Client order id, exchange order id or trade id.
  std::string detail;  ///< "local=open exchange=<none>".
};

/// The decisions of one reconcile.
struct reconcile_plan {
  std::vector<order_resolution> resolve;   ///< Persist each, then publish.
  std::vector<client_order_id> mark_failed;///< Not found after the window: nothing at the exchange.
  std::vector<client_order_id> lookup_again;  ///< Still unresolved, inside the window.
  std::vector<fill> apply_fills;           ///< New fills, once each, in (ts_event, trade id) order.
  std::vector<exchange_order> adopt;       ///< Unknown open orders to track (policy adopt).
  std::vector<exchange_order> cancel;      ///< Unknown open orders to cancel (policy cancel).
  std::vector<mismatch> mismatches;
  /// Local state and the exchange agree: the gate may drop reconcile_pending.
  bool agreed() const { return mismatches.empty() && lookup_again.empty(); }
};

/// Client order ids to look up: created/unknown orders, and open ones missing from the
/// exchange's open orders.
std::vector<client_order_id> lookups_needed(const std::vector<local_order>& local,
                                            const std::vector<exchange_order>& open_orders);

/// The diff. fill_applied says whether a trade id is already booked (the ledger or the
/// store's fills db); a fill is applied once even if it appears in the input twice.
reconcile_plan reconcile(const std::vector<local_order>& local, const exchange_view& exchange, ts_ns now,
                         const reconcile_policy& policy, const std::function<bool(const trade_id&)>& fill_applied);

} // namespace trader::order_lifecycle
