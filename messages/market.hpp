#pragma once
// Market data facts: market_data → universe, triggers, risk (staleness), latency.

#include "messages/ids.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <vector>

namespace trader {

enum class side : std::uint8_t { buy, sell };

/// Top of book for one product (ticker channel or derived from the book).
struct quote {
  product_id product;
  price bid;
  price ask;
  size bid_size;
  size ask_size;
  price last;             ///< Last trade price; zero when unknown.
  std::int64_t sequence;  ///< The feed's sequence number of the message it came from.
  ts_ns ts_event;         ///< Exchange timestamp.
  ts_ns ts_recv;          ///< When we read it off the socket.
  /// Steady clock (ns) when traderd read the frame it came from: the origin a decision it
  /// causes carries to the orders actor (tick_to_order, docs/orders.md); 0 = not from a frame.
  mono_ns origin_mono = 0;
};

/// One price level; qty 0 in an update removes the level.
struct book_level {
  price px;
  size qty;
};

/// A level2 snapshot (is_snapshot) or incremental update for one product.
struct book_update {
  product_id product;
  bool is_snapshot = false;
  std::vector<book_level> bids;
  std::vector<book_level> asks;
  std::int64_t sequence = 0;
  ts_ns ts_event = 0;
  ts_ns ts_recv = 0;
};

/// A closed (or updating) OHLCV candle.
struct candle {
  product_id product;
  std::int32_t granularity_s = 300;
  ts_ns start = 0;  ///< Bucket start, UTC.
  price open;
  price high;
  price low;
  price close;
  size volume;
  ts_ns ts_recv = 0;
};

/// One public trade print.
struct market_trade {
  product_id product;
  trade_id trade;
  price px;
  size qty;
  side taker_side = side::buy;
  ts_ns ts_event = 0;
  ts_ns ts_recv = 0;
  mono_ns origin_mono = 0;  ///< Steady clock when traderd read its frame (as quote::origin_mono).
};

/// Exchange trading status of a product. Anything but `online` stops new risk at once.
enum class product_state : std::uint8_t { online, post_only, limit_only, cancel_only, offline, delisted };

/// A fact: a product's trading status (status channel or products refresh).
struct product_status {
  product_id product;
  product_state state = product_state::online;
  ts_ns ts_event = 0;
  ts_ns ts_recv = 0;
};

/// A fact: the market-data feed for `product` is stale or has a sequence gap (or recovered).
struct feed_health {
  product_id product;   ///< Empty = the whole feed.
  bool healthy = true;
  bool sequence_gap = false;
  std::int64_t age_ms = 0;  ///< Age of the newest message when measured.
  ts_ns ts = 0;
};

// -- inspection ---------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, quote& x) {
  return f(caf::meta::type_name("quote"), x.product, x.bid, x.ask, x.bid_size, x.ask_size, x.last,
           x.sequence, x.ts_event, x.ts_recv, x.origin_mono);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_level& x) {
  return f(caf::meta::type_name("book_level"), x.px, x.qty);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, book_update& x) {
  return f(caf::meta::type_name("book_update"), x.product, x.is_snapshot, x.bids, x.asks, x.sequence,
           x.ts_event, x.ts_recv);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, candle& x) {
  return f(caf::meta::type_name("candle"), x.product, x.granularity_s, x.start, x.open, x.high, x.low,
           x.close, x.volume, x.ts_recv);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, market_trade& x) {
  return f(caf::meta::type_name("market_trade"), x.product, x.trade, x.px, x.qty, x.taker_side, x.ts_event,
           x.ts_recv, x.origin_mono);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, product_status& x) {
  return f(caf::meta::type_name("product_status"), x.product, x.state, x.ts_event, x.ts_recv);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, feed_health& x) {
  return f(caf::meta::type_name("feed_health"), x.product, x.healthy, x.sequence_gap, x.age_ms, x.ts);
}

} // namespace trader
