#pragma once
// Facts flowing back: user_stream / fills ─order_update, fill→ order_lifecycle → state.

#include "messages/ids.hpp"
#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>

namespace trader {

/// Order state machine states (DESIGN.md "Orders: never twice, never lost").
enum class order_state : std::uint8_t {
  created,           ///< Intent persisted, not yet sent ("NEW").
  open,
  partially_filled,
  filled,
  canceled,
  expired,
  rejected,
  failed,            ///< We could not place it (transport/validation); nothing at the exchange.
  unknown,           ///< Sent, outcome unknown (timeout): resolve by client order id.
};

/// The one order vocabulary: order_intent (risk → order_lifecycle) and create_order
/// (order_lifecycle → orders) both say (order_type, time_in_force, post_only); the Coinbase
/// adapter maps the pair onto its order_configuration (docs/exchange.md "Order types").
enum class order_type : std::uint8_t { market, limit };
/// How long an order may rest: good till cancelled / till a date, immediate or cancel, fill
/// or kill. Market orders are IOC only (Coinbase's market FOK is perps-only).
enum class time_in_force : std::uint8_t { gtc, gtd, ioc, fok };

/// Which part of the pipeline decided an order that a WebSocket frame caused: a protective
/// exit (quote → risk, event-driven) or a strategy proposal (bars → the decision cycle).
/// Keys the tick_to_order latency samples (docs/orders.md "Tick to order").
enum class decision_path : std::uint8_t { none, exit, strategy };

/// A fact: the exchange reports this order's cumulative state.
struct order_update {
  client_order_id id;
  exchange_order_id exchange_id;
  product_id product;
  order_state state = order_state::open;
  size filled_size;          ///< Cumulative.
  price avg_fill_px;
  notional total_fees;
  std::string reject_reason;  ///< Exchange failure reason, kept verbatim.
  std::int64_t sequence = 0;  ///< User-stream sequence, 0 for REST.
  ts_ns ts_event = 0;
  ts_ns ts_recv = 0;
  /// What the order is, when the source says it (REST order JSON, user stream, PAPER's
  /// venue): reconcile adopts an unknown exchange order with it (execution.unknown_order_policy).
  bool dir_known = false;     ///< False: `dir` is not reported.
  side dir = side::buy;
  size ordered_size;          ///< Base size ordered; zero when not reported or quote-sized.
  price limit_px;             ///< Zero for market orders or when not reported.
};

enum class liquidity : std::uint8_t { maker, taker, unknown };

/// A fact: the exchange executed part of an order.
struct fill {
  trade_id trade;            ///< Exchange trade id; the dedupe key.
  client_order_id order;     ///< Our id of the order this fill belongs to.
  exchange_order_id exchange_order;
  product_id product;
  side dir = side::buy;
  price px;
  size qty;
  notional fee;
  liquidity liq = liquidity::unknown;
  ts_ns ts_event = 0;        ///< When the exchange says it happened.
  ts_ns ts_recv = 0;         ///< When we read it.
  /// Coinbase's flag: qty is in the quote currency (market buys by quote size). The ledger
  /// converts it (base = qty / px, toward zero); never book it as coins.
  bool size_in_quote = false;
};

/// An instruction: cancel one order. Always allowed, gate or not.
struct cancel_order {
  client_order_id id;
  std::string reason;
};

/// An instruction: cancel every open order (kill switch, safe halt, operator).
struct cancel_all {
  std::string reason;
};

// -- inspection ---------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_update& x) {
  return f(caf::meta::type_name("order_update"), x.id, x.exchange_id, x.product, x.state, x.filled_size,
           x.avg_fill_px, x.total_fees, x.reject_reason, x.sequence, x.ts_event, x.ts_recv, x.dir_known, x.dir,
           x.ordered_size, x.limit_px);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fill& x) {
  return f(caf::meta::type_name("fill"), x.trade, x.order, x.exchange_order, x.product, x.dir, x.px, x.qty, x.fee,
           x.liq, x.ts_event, x.ts_recv, x.size_in_quote);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_order& x) {
  return f(caf::meta::type_name("cancel_order"), x.id, x.reason);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_all& x) {
  return f(caf::meta::type_name("cancel_all"), x.reason);
}

} // namespace trader
