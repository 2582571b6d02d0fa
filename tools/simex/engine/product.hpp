#pragma once
// A spot product as the exchange lists it: increments, size limits and trading status.

#include "tools/simex/engine/types.hpp"

#include <string>

namespace trader::simex {

/// One tradable pair, with the fields of Coinbase's REST product object that matter.
struct product {
  std::string id;                ///< "BTC-USD".
  std::string base_currency;     ///< "BTC".
  std::string quote_currency;    ///< "USD".
  std::string base_name;         ///< "Bitcoin".
  std::string quote_name;        ///< "US Dollar".
  size base_increment = size::from_units(1);          ///< Sizes must be multiples of it.
  price quote_increment = price::from_units(1'000'000);  ///< Prices must be multiples of it (0.01).
  size base_min_size = size::from_units(1);
  size base_max_size = size::from_int(10'000);
  notional quote_min_size = notional::from_int(1);    ///< Minimum notional (REST quote_min_size).
  notional quote_max_size = notional::from_int(150'000'000);
  notional min_market_funds = notional::from_int(1);  ///< WS status channel's min_market_funds.
  product_status status = product_status::online;
  bool trading_disabled = false;  ///< Orders refused whatever the status.
  std::string status_message;     ///< Shown on the WS status channel.

  bool post_only() const { return status == product_status::post_only; }
  bool limit_only() const { return status == product_status::limit_only; }
  bool cancel_only() const { return status == product_status::cancel_only; }
  /// REST `status`: "online" unless the product is offline.
  std::string_view rest_status() const { return status == product_status::offline ? "offline" : "online"; }
  /// Number of decimals of base_increment / quote_increment (for rendering "0.00100000").
  int base_decimals() const;
  int quote_decimals() const;
};

/// Decimal places of an increment that is a power of ten (1e-8 → 8, 0.01 → 2, 1 → 0).
int decimals_of(std::int64_t increment_units);

} // namespace trader::simex
