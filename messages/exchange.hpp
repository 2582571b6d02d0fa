#pragma once
// The exchange subtree's protocol: requests to the endpoint actors (products, accounts,
// orders, fills, clock), their typed replies, the rate limiter's permits, and market-data
// subscriptions. Failures come back as caf::error in the "trader" category:
//   errc::exchange_error  — the exchange answered with an error; context "endpoint status
//                           kind failure_reason" (see exchange_error_kind);
//   errc::transport_error — no answer (timeout, reset, TLS); context names endpoint and why;
//   errc::timeout         — a permit or a reply did not come in time.

#include "messages/ids.hpp"
#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/orders.hpp"
#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace trader {

// -- rate limiter --------------------------------------------------------------

/// A budget the exchange counts separately.
enum class endpoint_group : std::uint8_t {
  public_rest,   ///< unauthenticated REST (/market/...)
  private_rest,  ///< authenticated REST
  ws_connect,    ///< WebSocket connection attempts and subscribe messages
};

/// Who goes first when tokens are short: cancels before new orders before data.
enum class call_priority : std::uint8_t { cancel = 0, order = 1, data = 2 };

/// A request to rate_limiter: may I make one call now? Answered with permit_grant once a
/// token is available (possibly after a wait), or errc::busy when the call is held back
/// (data calls above 90 % of a window) or errc::timeout after max_wait_ms.
struct permit_request {
  endpoint_group group = endpoint_group::private_rest;
  call_priority priority = call_priority::data;
  std::string endpoint;        ///< e.g. "POST /orders" (metrics label, bounded set)
  std::int64_t max_wait_ms = 5000;
};

struct permit_grant {
  std::int64_t waited_ns = 0;  ///< time spent queued in the limiter
};

/// A fact for rate_limiter after every call: feeds 429 tightening, retry hints, counters.
struct call_outcome {
  endpoint_group group = endpoint_group::private_rest;
  std::string endpoint;
  int http_status = 0;          ///< 0 = transport failure (no status)
  std::int64_t retry_after_ms = -1;  ///< from Retry-After when present
  std::int64_t latency_ns = 0;
  ts_ns ts = 0;
};

// -- products ------------------------------------------------------------------

/// Trading rules and status of one product (products endpoint, cached ≤ 5 min).
struct product_info {
  product_id product;           ///< canonical "BTC-USD"
  std::string base_currency;
  std::string quote_currency;
  price price_increment;
  size base_increment;
  size base_min_size;
  size base_max_size;
  notional quote_min_size;
  notional quote_max_size;
  product_state state = product_state::online;
  std::string raw_status;       ///< the exchange's status text, kept verbatim
  ts_ns fetched = 0;
  ts_ns listed_at = 0;          ///< the exchange's `new_at` (listing date); 0 = not given
};

/// Request to products: every product (from the cache when fresh enough).
struct get_products {
  bool refresh = false;  ///< bypass the cache
};
struct product_list {
  std::vector<product_info> products;
  ts_ns fetched = 0;
  std::uint32_t skipped = 0;  ///< listed products the daemon cannot represent (logged, counted)
};

/// Request to products: one product's rules (from the cache).
struct get_product {
  product_id product;
};

/// Request to products: candles of one product over REST (public endpoint), oldest first:
/// the `count` buckets ending at `end_s` (the request's start is end_s − count ×
/// granularity_s; Coinbase includes the bucket starting at end_s when it has one). One page,
/// under the exchange's 350-bucket limit; a caller pages older history by lowering end_s.
/// For checks (smoke), warm-up and backfill; live candles come from market_data.
struct get_candles {
  product_id product;
  std::int32_t granularity_s = 300;  ///< 60, 300, 900, 1800, 3600, 7200, 21600, 86400
  std::int32_t count = 12;           ///< ≤ 300
  std::int64_t end_s = 0;            ///< UNIX seconds the page ends at; 0 = now.
};
struct candle_list {
  std::vector<candle> candles;
  ts_ns fetched = 0;
};

// -- accounts ------------------------------------------------------------------

struct balance {
  std::string currency;
  notional available;
  notional hold;
};

/// Request to accounts: every balance (all pages).
struct get_balances {};
struct balance_list {
  std::vector<balance> balances;
  ts_ns fetched = 0;
};

/// Request to accounts: the fee tier (transaction summary).
struct get_fee_tier {};
struct fee_tier {
  std::string tier;
  double maker_rate = 0;   ///< fraction, e.g. 0.004
  double taker_rate = 0;
  notional volume_30d;
  ts_ns fetched = 0;
};

// -- orders --------------------------------------------------------------------

/// Request to orders: create one order. Never blindly retried: if the reply is lost the
/// orders actor looks the client order id up and answers with what the exchange has.
/// order_lifecycle copies type, tif and post_only from the order_intent. Expressible:
/// market IOC; limit GTC, GTD, IOC (no post_only) and FOK (no post_only); anything else is
/// refused before sending.
struct create_order {
  client_order_id id;           ///< idempotency key, persisted before sending
  product_id product;           ///< as the exchange lists it
  side dir = side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  size base_size;               ///< zero when quote_size is used (market buy)
  notional quote_size;
  price limit_px;               ///< limit only
  bool post_only = false;       ///< limit GTC/GTD only
  ts_ns end_time = 0;           ///< GTD only
  /// Local, never sent: the order_intent's origin. When set, the orders actor records the
  /// time from it to the request written on the socket (latency tick_to_order).
  mono_ns origin_mono = 0;
  decision_path origin_path = decision_path::none;
};

/// Request to orders: same fields, answered by the preview endpoint (nothing is placed).
struct preview_order {
  create_order order;
};

/// Reply to create_order: placed (accepted), refused by the exchange (failure_reason), or
/// not placed (the reply was lost and every lookup said the exchange does not know the id).
/// A create whose outcome cannot be resolved is not an ack but an error (kind unresolved).
struct order_ack {
  client_order_id id;
  exchange_order_id exchange_id;
  bool accepted = false;
  std::string failure_reason;   ///< the exchange's own reason when it refused, verbatim
  bool resolved_by_lookup = false;  ///< the create reply was lost; settled by client id
  bool not_placed = false;      ///< lost reply, every lookup "unknown id": nothing was placed
};

/// Reply to preview_order.
struct order_preview {
  notional order_total;
  notional commission_total;
  size base_size;
  notional quote_size;
  std::vector<std::string> errs;  ///< preview_failure_reason etc., verbatim
};

/// Request to orders: cancel these orders (batch). Priority cancel; never held back.
struct cancel_orders {
  std::vector<exchange_order_id> ids;
  std::string reason;
};
struct cancel_result {
  exchange_order_id id;
  bool success = false;
  std::string failure_reason;
};
struct cancel_results {
  std::vector<cancel_result> results;
};

/// Request to orders: one order by exchange id, or (when that is empty) by client id.
/// Replies order_update; errc::exchange_error "... not_found ..." when unknown.
struct get_order {
  exchange_order_id exchange_id;
  client_order_id id;
};

/// Request to orders: open orders (all pages), optionally of one product.
struct list_open_orders {
  product_id product;
  /// Read for a cancel-all (kill switch, safe halt, traderctl cancel-all): the read goes at
  /// cancel priority, into the rate limiter's cancel reserve, so it is not refused busy
  /// behind data calls exactly when every open order must be found.
  bool for_cancel = false;
};
/// Request to orders: every order (any status) created since a time, all pages — Coinbase's
/// list of recent orders, which carries client_order_id: order_lifecycle cross-checks the
/// by-client-id lookup against it (docs/orders.md "Reconcile"). Answered with order_list.
struct list_recent_orders {
  ts_ns since = 0;
  product_id product;
};
struct order_list {
  std::vector<order_update> orders;
  ts_ns fetched = 0;
  std::uint32_t skipped = 0;  ///< orders the daemon cannot represent: > 0 = the list is incomplete
};

// -- fills ---------------------------------------------------------------------

/// Request to fills: fills since a time (all pages, cursor pagination), deduplicated by
/// trade id; optionally of one order or product.
struct get_fills {
  ts_ns since = 0;
  exchange_order_id order;
  product_id product;
};
struct fill_list {
  std::vector<fill> fills;
  ts_ns fetched = 0;
  std::uint32_t skipped = 0;  ///< fills the daemon cannot represent: > 0 = the list is incomplete
};

// -- clock ---------------------------------------------------------------------

/// Request to clock: measure now. Also sent by clock to its subscribers periodically.
struct measure_clock {};
struct clock_sample {
  std::int64_t offset_ns = 0;       ///< server − local; > 0: we are behind
  std::int64_t rtt_ns = 0;
  std::int64_t uncertainty_ns = 0;
  bool within_limit = false;        ///< |offset| ≤ max_clock_skew_ms and the probe was usable
  std::string reason;               ///< e.g. "CLOCK_SKEW: offset_ms=-212.4 limit_ms=150.0 rtt_ms=38.0"
  ts_ns ts = 0;
};

// -- market data ---------------------------------------------------------------

/// Request to market_data (or user_stream): send me what you publish (quotes, book
/// updates, trades, candles, product_status, feed_health; user_stream: order_update,
/// fill). The sender is recorded and monitored; answered with subscribed.
struct subscribe_feed {
  std::vector<std::string> channels;  ///< empty = all
};
struct subscribed {
  std::vector<product_id> products;
};

/// Request to market_data: the current book of one product, depth levels a side.
struct get_book {
  product_id product;
  std::int32_t depth = 10;
};
struct book_snapshot {
  product_id product;
  std::vector<book_level> bids;  ///< best first
  std::vector<book_level> asks;  ///< best first
  std::int64_t sequence = 0;
  ts_ns ts_event = 0;
  ts_ns ts_recv = 0;
  bool stale = false;
  std::string waiting_for;   ///< what market_data waits for: "snapshot", "data" or "" (nothing)
  ts_ns waiting_since = 0;   ///< since when (wall time); 0 when not waiting
  std::int32_t retries = 0;  ///< snapshot requests of the product that went unanswered so far
  ts_ns ts_heartbeat = 0;    ///< exchange time of the connection's newest heartbeat (0: none yet)
};

// -- inspection ----------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, permit_request& x) {
  return f(caf::meta::type_name("permit_request"), x.group, x.priority, x.endpoint, x.max_wait_ms);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, permit_grant& x) {
  return f(caf::meta::type_name("permit_grant"), x.waited_ns);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, call_outcome& x) {
  return f(caf::meta::type_name("call_outcome"), x.group, x.endpoint, x.http_status, x.retry_after_ms,
           x.latency_ns, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, product_info& x) {
  return f(caf::meta::type_name("product_info"), x.product, x.base_currency, x.quote_currency,
           x.price_increment, x.base_increment, x.base_min_size, x.base_max_size, x.quote_min_size,
           x.quote_max_size, x.state, x.raw_status, x.fetched, x.listed_at);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_products& x) {
  return f(caf::meta::type_name("get_products"), x.refresh);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, product_list& x) {
  return f(caf::meta::type_name("product_list"), x.products, x.fetched, x.skipped);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_product& x) {
  return f(caf::meta::type_name("get_product"), x.product);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_candles& x) {
  return f(caf::meta::type_name("get_candles"), x.product, x.granularity_s, x.count, x.end_s);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, candle_list& x) {
  return f(caf::meta::type_name("candle_list"), x.candles, x.fetched);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, balance& x) {
  return f(caf::meta::type_name("balance"), x.currency, x.available, x.hold);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_balances&) {
  return f(caf::meta::type_name("get_balances"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, balance_list& x) {
  return f(caf::meta::type_name("balance_list"), x.balances, x.fetched);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_fee_tier&) {
  return f(caf::meta::type_name("get_fee_tier"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fee_tier& x) {
  return f(caf::meta::type_name("fee_tier"), x.tier, x.maker_rate, x.taker_rate, x.volume_30d, x.fetched);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, create_order& x) {
  return f(caf::meta::type_name("create_order"), x.id, x.product, x.dir, x.type, x.tif, x.base_size,
           x.quote_size, x.limit_px, x.post_only, x.end_time, x.origin_mono, x.origin_path);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, preview_order& x) {
  return f(caf::meta::type_name("preview_order"), x.order);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_ack& x) {
  return f(caf::meta::type_name("order_ack"), x.id, x.exchange_id, x.accepted, x.failure_reason,
           x.resolved_by_lookup, x.not_placed);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_preview& x) {
  return f(caf::meta::type_name("order_preview"), x.order_total, x.commission_total, x.base_size, x.quote_size,
           x.errs);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_orders& x) {
  return f(caf::meta::type_name("cancel_orders"), x.ids, x.reason);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_result& x) {
  return f(caf::meta::type_name("cancel_result"), x.id, x.success, x.failure_reason);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_results& x) {
  return f(caf::meta::type_name("cancel_results"), x.results);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_order& x) {
  return f(caf::meta::type_name("get_order"), x.exchange_id, x.id);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_open_orders& x) {
  return f(caf::meta::type_name("list_open_orders"), x.product, x.for_cancel);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, list_recent_orders& x) {
  return f(caf::meta::type_name("list_recent_orders"), x.since, x.product);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_list& x) {
  return f(caf::meta::type_name("order_list"), x.orders, x.fetched, x.skipped);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_fills& x) {
  return f(caf::meta::type_name("get_fills"), x.since, x.order, x.product);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fill_list& x) {
  return f(caf::meta::type_name("fill_list"), x.fills, x.fetched, x.skipped);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, measure_clock&) {
  return f(caf::meta::type_name("measure_clock"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, clock_sample& x) {
  return f(caf::meta::type_name("clock_sample"), x.offset_ns, x.rtt_ns, x.uncertainty_ns, x.within_limit,
           x.reason, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscribe_feed& x) {
  return f(caf::meta::type_name("subscribe_feed"), x.channels);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscribed& x) {
  return f(caf::meta::type_name("subscribed"), x.products);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_book& x) {
  return f(caf::meta::type_name("get_book"), x.product, x.depth);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_snapshot& x) {
  return f(caf::meta::type_name("book_snapshot"), x.product, x.bids, x.asks, x.sequence, x.ts_event, x.ts_recv,
           x.stale, x.waiting_for, x.waiting_since, x.retries, x.ts_heartbeat);
}

} // namespace trader
