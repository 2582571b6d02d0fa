#pragma once
// Parsers of Coinbase Advanced Trade REST bodies (coinbase-api.md §2) into the exchange
// protocol's typed replies. Order-path bodies (create, cancel, orders, fills) are read with
// simdjson On-Demand; cold paths (time, products, accounts, fee tier, preview) with
// nlohmann. Decimal strings go through parse_fixed (exact, no floating point); product ids
// are taken as sent (product_from_exchange). An error in the body's frame is a bad_reply
// naming endpoint and field ("endpoint=GET /accounts field=accounts[2].hold.value: not a
// decimal"); in a products, orders or fills list, an element the daemon cannot represent is
// skipped and listed in the page's `skipped` instead, so one odd element never fails the
// body. No CAF.

#include "messages/exchange.hpp"
#include "actors/exchange/coinbase/rest_result.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace trader::exchange {

/// Endpoint labels: metrics, permits, errors (a bounded set; ids never appear in them).
namespace ep {
inline constexpr std::string_view time = "GET /time";
inline constexpr std::string_view products = "GET /products";
inline constexpr std::string_view product = "GET /products/{id}";
inline constexpr std::string_view accounts = "GET /accounts";
inline constexpr std::string_view transaction_summary = "GET /transaction_summary";
inline constexpr std::string_view create_order = "POST /orders";
inline constexpr std::string_view preview_order = "POST /orders/preview";
inline constexpr std::string_view batch_cancel = "POST /orders/batch_cancel";
inline constexpr std::string_view get_order = "GET /orders/historical/{id}";
inline constexpr std::string_view list_orders = "GET /orders/historical/batch";
inline constexpr std::string_view fills = "GET /orders/historical/fills";
inline constexpr std::string_view candles = "GET /products/{id}/candles";
} // namespace ep

/// A list element left out of a page because the daemon cannot represent it.
struct skipped_element {
  std::string field;  ///< the first field that failed, e.g. "orders[3].product_id"
  std::string why;    ///< e.g. "product '' : empty"
};

/// Every product of a products body.
struct products_page {
  std::vector<product_info> products;
  std::vector<skipped_element> skipped;
};
/// One page of accounts.
struct accounts_page {
  std::vector<balance> balances;
  bool has_next = false;
  std::string cursor;
};
/// One page of orders.
struct orders_page {
  std::vector<order_update> orders;
  bool has_next = false;
  std::string cursor;
  std::vector<skipped_element> skipped;
};
/// One page of fills ("" cursor = last page).
struct fills_page {
  std::vector<fill> fills;
  std::string cursor;
  std::vector<skipped_element> skipped;
};

/// A product's trading state from its REST fields: status other than "online" → offline
/// (delisted → delisted); trading_disabled/is_disabled → offline; then cancel_only,
/// limit_only, post_only; else online.
product_state product_state_of(std::string_view status, bool trading_disabled, bool cancel_only, bool limit_only,
                               bool post_only);

/// GET /time → server wall time (epochMillis, else iso).
rest_result<ts_ns> parse_time(std::string_view body);
/// GET /products → every product it can represent (ids as sent), the rest skipped; fetched = now.
rest_result<products_page> parse_products(std::string_view body, ts_ns now);
/// GET /products/{id} → one product (the object is not wrapped; a bad id is a bad_reply).
rest_result<product_info> parse_product(std::string_view body, ts_ns now);
/// {"candles":[{start, low, high, open, close, volume}]} (newest first on the wire) →
/// candles of `product`, oldest first.
rest_result<std::vector<candle>> parse_candles(std::string_view body, const product_id& product,
                                               std::int32_t granularity_s, ts_ns now);
/// GET /accounts → one page of balances.
rest_result<accounts_page> parse_accounts(std::string_view body);
/// GET /transaction_summary → fee tier; fetched = now.
rest_result<fee_tier> parse_transaction_summary(std::string_view body, ts_ns now);
/// POST /orders/preview → the preview.
rest_result<order_preview> parse_preview(std::string_view body);

/// POST /orders → the ack (accepted = success; failure_reason verbatim when refused).
rest_result<order_ack> parse_create_order(std::string_view body, const client_order_id& id);
/// POST /orders/batch_cancel → per-order results.
rest_result<cancel_results> parse_batch_cancel(std::string_view body);
/// GET /orders/historical/{id} → {"order":{...}} as an order_update (ts_recv = now).
rest_result<order_update> parse_order(std::string_view body, ts_ns now);
/// GET /orders/historical/batch → one page (unrepresentable orders skipped).
rest_result<orders_page> parse_orders(std::string_view body, ts_ns now);
/// GET /orders/historical/fills → one page (ts_recv = now; unrepresentable fills skipped).
rest_result<fills_page> parse_fills(std::string_view body, ts_ns now);

/// REST order status → our state: OPEN/PENDING/QUEUED/CANCEL_QUEUED/EDIT_QUEUED → open
/// (partially_filled when something filled), FILLED, CANCELLED, EXPIRED, FAILED → rejected,
/// anything else → unknown.
order_state order_state_of(std::string_view status, bool partly_filled);

} // namespace trader::exchange
