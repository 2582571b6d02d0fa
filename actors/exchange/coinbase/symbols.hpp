#pragma once
// Product ids, two ways:
//  - as the exchange sends them (product_from_exchange): taken verbatim once they have
//    the exchange's shape — "T-USD", "BIP-20DEC30-CDE", "ADA-PERP-INTX" and "WBTC-USD" are
//    all their own products. Every id parsed from an exchange body goes through this.
//  - as configs and operators spell them (canonical_product): normalised to Coinbase's
//    "BASE-QUOTE" in upper case ("BTC-USD").
//
// Accepted spellings: "BTC-USD", "btc-usd", "BTC/USD", "BTC_USD", "BTCUSD" (split at a known
// quote currency), surrounding blanks ignored. Aliases: XBT (Kraken's code) is BTC, and
// WBTC is BTC too: the bot trades the BTC book and treats wrapped BTC as the same exposure,
// so "WBTC-USD" resolves to "BTC-USD" (the WBTC token itself is never traded; a strategy that
// really meant the token must not rely on this mapping). No CAF.

#include "messages/ids.hpp"
#include "runtime/result.hpp"

#include <string>
#include <string_view>

namespace trader::exchange {

/// A product id, or why the input is not one (the message names the input).
using symbol_result = result<product_id, std::string>;

/// An id as the exchange sent it, unchanged: non-empty segments of upper-case letters and
/// digits joined by '-', at least BASE-QUOTE, at most 64 characters. Anything else (empty,
/// lower case, blanks, other separators) is an error naming the input: an element the daemon
/// cannot represent, which the parsers skip and count.
symbol_result product_from_exchange(std::string_view sent);

/// The id an actor request names: taken as sent when it has the exchange's shape (so
/// "WBTC-USD" stays WBTC-USD), otherwise the canonical form of an operator's spelling
/// ("btc/usd" → "BTC-USD").
symbol_result requested_product(std::string_view input);

/// The canonical id of a product spelled any accepted way; an error naming the input when
/// it is empty, malformed or cannot be split ("BTCXYZ": no known quote currency).
symbol_result canonical_product(std::string_view input);

/// The canonical code of one currency ("xbt" → "BTC", "WBTC" → "BTC", "usd" → "USD").
std::string canonical_currency(std::string_view code);

} // namespace trader::exchange
