#pragma once
// The hot-path WebSocket parser: simdjson On-Demand over one reused padded buffer (no
// DOM), one pass over each message, fields matched by key so their order does not matter.
// Decimals become fixed-point exactly; product ids go through canonical_product().

#include "actors/exchange/feed/ws_frame.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace trader::feed {

/// Why a message could not be read: "l2_data: updates[3].price_level: not a decimal ('x')".
struct parse_error {
  std::string what;
};

class ws_parser {
public:
  ws_parser();
  ~ws_parser();
  ws_parser(ws_parser&&) noexcept;
  ws_parser& operator=(ws_parser&&) noexcept;

  /// Parses one text message into out (cleared first). nullopt = ok. A message with an
  /// unknown channel parses fine with channel unknown (callers count and ignore it).
  std::optional<parse_error> parse(std::string_view text, ts_ns recv, ws_frame& out);

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Canonical product id for an exchange product string ("btc-usd" → "BTC-USD"); nullopt
/// when it is not a product id.
std::optional<product_id> feed_product(std::string_view text);

/// Maps the exchange's product status text; anything unknown is offline (fail closed).
product_state parse_product_state(std::string_view text);

/// Maps a user-channel / REST order status ("OPEN", "FILLED", …); filled > 0 on an open
/// order means partially_filled.
order_state parse_order_state(std::string_view text, bool partially_filled);

} // namespace trader::feed
