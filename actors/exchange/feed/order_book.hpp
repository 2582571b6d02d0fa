#pragma once
// One product's level-2 book, kept from a snapshot plus absolute-quantity updates
// (coinbase-api.md §4: new_quantity is the new size, "0" removes). Keyed by fixed-point
// price, not by the exchange's price text ("65080" and "65080.00" are one level). No CAF.

#include "messages/exchange.hpp"
#include "messages/market.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace trader::feed {

class order_book {
public:
  /// What one update did.
  struct apply_result {
    bool applied = false;             ///< false: an update while no snapshot is held (ignored)
    std::size_t unknown_deletes = 0;  ///< deletes of levels we do not hold (tolerated, counted)
  };

  /// A snapshot replaces the book; an update changes levels (ignored until a snapshot).
  apply_result apply(const book_update& u);
  /// Forgets the book until the next snapshot (after a sequence gap).
  void invalidate();
  bool has_snapshot() const { return has_snapshot_; }

  std::optional<book_level> best_bid() const;
  std::optional<book_level> best_ask() const;
  /// Best bid ≥ best ask: the book cannot be trusted.
  bool crossed() const;
  std::size_t bid_levels() const { return bids_.size(); }
  std::size_t ask_levels() const { return asks_.size(); }

  /// The best `depth` levels a side, best first, into a book_snapshot (stale left false).
  book_snapshot top(const product_id& p, std::int32_t depth) const;

  std::int64_t sequence() const { return sequence_; }
  ts_ns ts_event() const { return ts_event_; }
  ts_ns ts_recv() const { return ts_recv_; }

private:
  std::map<std::int64_t, std::int64_t, std::greater<>> bids_;  ///< price units → size units, best first
  std::map<std::int64_t, std::int64_t> asks_;
  bool has_snapshot_ = false;
  std::int64_t sequence_ = 0;
  ts_ns ts_event_ = 0;
  ts_ns ts_recv_ = 0;
};

} // namespace trader::feed
