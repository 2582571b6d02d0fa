#pragma once
// Order and fill records as the exchange keeps them; the api layer renders them with the
// field names of Coinbase's order and fill objects.

#include "tools/simex/engine/types.hpp"

#include <optional>
#include <string>

namespace trader::simex {

/// What a client asks for: one order_configuration of POST /orders.
struct order_request {
  std::string user;             ///< Account owner (the API key's portfolio); "" is invalid.
  std::string key_name;         ///< The API key that placed it (user_id on the wire); "" = user.
  std::string client_order_id;  ///< Idempotency key; "" allowed only for previews.
  std::string product_id;
  side order_side = side::buy;
  order_kind kind = order_kind::limit_gtc;
  std::optional<size> base_size;       ///< Exactly one of base_size / quote_size.
  std::optional<notional> quote_size;  ///< Market orders (and limit by quote) only.
  price limit_price;                   ///< Limit orders.
  ts_ns end_time = 0;                  ///< GTD expiry (engine time); 0 when absent.
  bool post_only = false;
  /// The order_configuration object as the client sent it, echoed verbatim in replies and
  /// order objects; "" = render it from the fields above.
  std::string configuration_json;
};

/// One order as the exchange records it.
struct order_record {
  std::uint64_t seq = 0;  ///< Creation order, engine-wide; the list cursor.
  std::string order_id;   ///< Exchange id, UUID text.
  order_request req;      ///< What was asked, as accepted.
  order_status status = order_status::open;
  ts_ns created = 0;
  ts_ns last_update = 0;
  ts_ns last_fill_time = 0;  ///< 0 when never filled.
  size filled_size;
  exact_notional filled_value;  ///< Σ price × size of the fills, unrounded.
  notional total_fees;          ///< Σ commission of the fills.
  std::int64_t number_of_fills = 0;
  amount hold;               ///< Outstanding hold (quote for buys, base for sells).
  std::string cancel_message;  ///< Why it was cancelled ("User requested cancel", ...).

  /// Base size still open; zero for quote-sized market orders once done.
  size leaves() const { return req.base_size ? *req.base_size - filled_size : size{}; }
  /// filled_value / filled_size rounded half away from zero to 1e-8 (exactly the price when
  /// every fill had one price), or 0.
  price average_filled_price() const { return filled_value.per(filled_size); }
  /// filled_value + total_fees for a buy, filled_value − total_fees for a sell (Coinbase's
  /// total_value_after_fees: what the buyer paid, what the seller received).
  exact_notional total_value_after_fees() const;
  /// Share of the order done, as "12.5" (two decimals at most): filled_size / base_size, or
  /// for a quote-sized order the quote spent (fees included for a buy) / quote_size; "100"
  /// once FILLED.
  std::string completion_percentage() const;
};

/// One execution of one user's order.
struct fill_record {
  std::uint64_t seq = 0;  ///< Creation order, engine-wide; the list cursor.
  std::string entry_id;
  std::string trade_id;
  std::string order_id;
  std::string client_order_id;
  std::string user;
  std::string key_name;  ///< The API key that placed the order ("" = user).
  std::string product_id;
  side order_side = side::buy;
  price px;
  size qty;
  notional commission;
  liquidity liq = liquidity::taker;
  ts_ns time = 0;
};

} // namespace trader::simex
