#pragma once
// Canonical product ids: the one mapping every consumer (REST actors, market data, config,
// operator input) uses. Canonical form is Coinbase's "BASE-QUOTE" in upper case ("BTC-USD").
//
// Accepted spellings: "BTC-USD", "btc-usd", "BTC/USD", "BTC_USD", "BTCUSD" (split at a known
// quote currency), surrounding blanks ignored. Aliases: XBT (Kraken's code) is BTC, and
// WBTC is BTC too: the bot trades the BTC book and treats wrapped BTC as the same exposure,
// so "WBTC-USD" resolves to "BTC-USD" (the WBTC token itself is never traded; a strategy that
// really meant the token must not rely on this mapping). No CAF.

#include "messages/ids.hpp"

#include <string>
#include <string_view>

namespace trader::exchange {

/// A canonical product id, or why the input is not one (the message names the input).
class symbol_result {
public:
  static symbol_result ok(product_id p) { return symbol_result{std::move(p), {}}; }
  static symbol_result fail(std::string why) { return symbol_result{{}, std::move(why)}; }
  bool ok() const { return error_.empty(); }
  explicit operator bool() const { return ok(); }
  const product_id& value() const { return value_; }
  const product_id& operator*() const { return value_; }
  const std::string& error() const { return error_; }

private:
  symbol_result(product_id v, std::string e) : value_(std::move(v)), error_(std::move(e)) {}
  product_id value_;
  std::string error_;
};

/// The canonical id of a product spelled any accepted way; an error naming the input when
/// it is empty, malformed or cannot be split ("BTCXYZ": no known quote currency).
symbol_result canonical_product(std::string_view input);

/// The canonical code of one currency ("xbt" → "BTC", "WBTC" → "BTC", "usd" → "USD").
std::string canonical_currency(std::string_view code);

} // namespace trader::exchange
