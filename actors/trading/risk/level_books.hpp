#pragma once
// The level-2 books risk reads for depth and price impact: per product, the snapshot plus
// absolute-quantity updates market_data forwards (book_update; qty 0 removes a level). A book
// is usable only after a snapshot and until market_data says its feed is unhealthy or has a
// sequence gap (drop()); market_data re-subscribes and a new snapshot brings it back. Risk
// copies the best levels of one product into its market entry when a proposal needs them.
// No CAF.

#include "messages/market.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <unordered_map>
#include <vector>

namespace trader::risk {

class level_books {
public:
  /// A snapshot replaces the product's book; an update changes levels (ignored until a
  /// snapshot, and when older than the book's sequence).
  void apply(const book_update& u);
  /// Forgets the book of p ("" = every book) until its next snapshot.
  void drop(const product_id& p);
  /// True when p has a snapshot, both sides non-empty and not crossed.
  bool usable(const product_id& p) const;
  /// The best `depth` levels a side into bids / asks (best first); both cleared when the
  /// book is not usable. Returns usable(p).
  bool top(const product_id& p, std::size_t depth, std::vector<book_level>& bids, std::vector<book_level>& asks) const;
  /// When the book of p last changed (local receipt time); 0 when none.
  ts_ns updated_at(const product_id& p) const;
  /// The exchange time of p's last change; 0 when none.
  ts_ns event_at(const product_id& p) const;
  std::size_t size() const { return books_.size(); }

private:
  struct book {
    std::map<std::int64_t, std::int64_t, std::greater<>> bids;  ///< price units → size units, best first
    std::map<std::int64_t, std::int64_t> asks;
    bool snapshot = false;
    std::int64_t sequence = 0;
    ts_ns ts_recv = 0;
    ts_ns ts_event = 0;
  };
  std::unordered_map<product_id, book> books_;
};

} // namespace trader::risk
