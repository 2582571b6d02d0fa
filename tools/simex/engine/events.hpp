#pragma once
// Every state change of the exchange is an event; the WS layer turns them into channel
// messages. Events are plain values copied out of the engine.

#include "tools/simex/engine/order.hpp"

#include <variant>

namespace trader::simex {

/// A level-2 change: the new absolute size at one price ("0" removes the level).
struct book_change {
  std::string product_id;
  side book_side = side::buy;  ///< buy = bid, sell = offer.
  price level;
  size new_quantity;
  ts_ns time = 0;
  std::uint64_t sequence = 0;  ///< Per-product book sequence after this change.
};

/// A trade print on the public tape.
struct trade_print {
  std::string product_id;
  std::string trade_id;
  price px;
  size qty;
  side maker_side = side::buy;  ///< Coinbase's public `side` is the maker's side.
  ts_ns time = 0;
};

/// A match happened (one per taker, however many makers it met): last price, best bid/ask
/// after it and the 24-hour figures, what the ticker channel needs.
struct ticker_change {
  std::string product_id;
  price last;
  price best_bid, best_ask;
  size best_bid_qty, best_ask_qty;
  size volume_24h;
  price low_24h, high_24h, open_24h;
  ts_ns time = 0;
};

/// A user's order changed (placed, filled, cancelled, expired); cumulative state.
struct order_changed {
  order_record order;
};

/// A user's order was executed (one fill).
struct fill_happened {
  fill_record fill;
};

/// A product's status changed.
struct status_changed {
  std::string product_id;
  product_status status = product_status::online;
  ts_ns time = 0;
};

/// One event of the exchange.
using event = std::variant<book_change, trade_print, ticker_change, order_changed, fill_happened,
                           status_changed>;

} // namespace trader::simex
