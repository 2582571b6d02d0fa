#pragma once
// The order_lifecycle actor: the sole owner of order state (docs/orders.md "The actor").
// Receives: order_intent (risk; traderctl debug.intent under TRADER_TEST_HOOKS) → a JSON
//           string (client order id, state, sent) or an error (errc::rejected: gate closed,
//           invalid, DRY_RUN never errs; errc::state_unavailable: the write-ahead failed and
//           nothing was sent); order_update, fill (user_stream; fills polling replies);
//           cancel_all (kill switch, safe halt, traderctl cancel-all) → JSON {sent, confirmed,
//           open_on_exchange}; cancel_order; ol_orders_atom + bool open_only, ol_positions_atom,
//           ol_pnl_atom → JSON strings for traderctl; flatten_positions (traderctl flatten)
//           → JSON (reduce-only market sells after cancelling the product's working orders);
//           ol_shadow_atom → JSON (shadow mode: intended vs actual fills); ol_balances_atom →
//           JSON (balances vs positions), + currency, reason → a re-base requested.
// Sends:    get_gate → risk before every intent and every tick; create_order, cancel_orders,
//           get_order, list_open_orders → orders; get_fills → fills; subscribe_feed →
//           user_stream; audit_entry "order_intent" / "order" / "fill" / "order_refused" → audit.
// Order:    an intent passes the gate, gets its client order id, is written to the store
//           (write-ahead, durable) and only then sent; a failed write-ahead sends nothing.
//           Every state change goes through the order state machine and is persisted before
//           it is the actor's state; a new fill, its position, its order and its PnL bucket
//           commit in one store transaction (record_fill + then).
// On failure: permanent child of `trading` (after risk), owns_trading_state: an abnormal
//             death raises actor_lost_state. A restart rebuilds everything from the store and
//             resolves intents left in created/unknown by client order id.

#include "actors/trading/order_lifecycle/lifecycle_book.hpp"
#include "actors/trading/order_lifecycle/lifecycle_store.hpp"
#include "actors/trading/order_lifecycle/reconcile.hpp"

#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::order_lifecycle {

using ol_orders_atom = caf::atom_constant<caf::atom("ol_orders")>;   ///< + bool open_only → JSON
using ol_positions_atom = caf::atom_constant<caf::atom("ol_pos")>;   ///< → JSON
using ol_pnl_atom = caf::atom_constant<caf::atom("ol_pnl")>;         ///< → JSON
using ol_tick_atom = caf::atom_constant<caf::atom("ol_tick")>;       ///< internal timer
using ol_shadow_atom = caf::atom_constant<caf::atom("ol_shadow")>;   ///< → JSON; + fill: a shadow fill (internal)
/// → JSON (the last balance check); + currency, reason: request a re-base (traderctl balances).
using ol_balances_atom = caf::atom_constant<caf::atom("ol_bal")>;

struct actor_options {
  lifecycle_options book;
  std::shared_ptr<lifecycle_store> store;
  prometheus::Registry* metrics = nullptr;  ///< Null: no metrics (tests).
  std::function<ts_ns()> now;               ///< Wall clock; system clock when empty.
  bool detached = true;                     ///< Store writes fsync: off the scheduler threads.
  std::chrono::milliseconds tick{1000};     ///< TTL, recovery, gate refresh.
  int fills_poll_ticks = 5;                 ///< Poll fills every N ticks while orders are live (LIVE).
  int refresh_ticks = 10;                   ///< Re-read open orders every N ticks while orders are live.
  std::chrono::seconds create_timeout{90};  ///< Longer than orders' own create resolution.
  int reconcile_ticks = 30;                 ///< Reconcile with the exchange every N ticks (and at start).
  /// Open orders on the exchange the store does not know (execution.unknown_order_policy):
  /// cancel (default), adopt (track as ours) or alert only. Always in reconcile_mismatch.
  unknown_order_policy on_unknown_order = unknown_order_policy::cancel;
  std::string quote_currency = "USD";       ///< The balance reconcile takes the ledger's cash from.
  /// [execution] balance_tolerance: the largest difference between a base currency's balance
  /// (less the coins held outside the ledger) and the ledger's positions that still agrees.
  size balance_tolerance = size::from_units(1);
  /// [execution] allow_taker_fallback: a post-only limit order that ended by TTL (cancelled or
  /// expired) is followed by a market IOC order for its unfilled remainder.
  bool taker_fallback = false;
  /// PAPER: spawns (linked to the actor) the fill simulator that answers creates, cancels,
  /// lookups, open orders and fills instead of the orders and fills actors, and sends its
  /// order_update and fill back; the same code path as LIVE. Empty: orders and fills.
  std::function<caf::actor(caf::event_based_actor*)> venue;
  /// Shadow mode ([execution] shadow_mode): spawns (under a relay linked to the actor) a fill
  /// simulator fed with the live quotes; every create also goes to it and its fills are
  /// compared with the venue's (traderctl shadow). Empty: off.
  std::function<caf::actor(caf::event_based_actor*)> shadow_venue;
  /// Test hook (TRADER_TEST_HOOKS): abort the process between the write-ahead and the send.
  bool abort_after_write_ahead = false;
};

caf::actor spawn_order_lifecycle(caf::actor_system& sys, core::registry& reg, actor_options opts);

} // namespace trader::order_lifecycle
