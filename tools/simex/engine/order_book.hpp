#pragma once
// A price-time priority book for one product: levels keyed by price, a FIFO per level.
// It knows nothing about owners or balances; entries are references the exchange resolves.

#include "tools/simex/engine/types.hpp"

#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace trader::simex {

/// One resting order in a level's queue.
struct book_entry {
  std::uint64_t ref = 0;  ///< The exchange's handle (user order seq or house ref).
  size qty;               ///< Remaining size.
};

/// All resting orders at one price, oldest first.
struct book_level {
  size total;                     ///< Σ qty of the queue.
  std::vector<book_entry> queue;  ///< Short (the house posts one order per level): a vector.
};

/// A price level the last operation changed; the exchange turns it into an l2 update.
struct touched_level {
  side book_side;
  price level;
};

/// Bids and asks of one product.
class order_book {
public:
  /// Appends an entry at the back of its level's queue.
  void add(side s, price px, book_entry e);
  /// Removes the entry with ref; returns its remaining size (zero if absent).
  size remove(side s, price px, std::uint64_t ref);
  /// Sets the remaining size of the entry with ref (keeps its place in the queue).
  void set_qty(side s, price px, std::uint64_t ref, size qty);
  /// Best price of side s, if any.
  std::optional<price> best(side s) const;
  /// The oldest entry at side s's best price, or nullptr; px receives that price.
  const book_entry* front(side s, price& px) const;
  /// Reduces the front entry of side s by qty (≤ its size); pops it at zero.
  void consume_front(side s, size qty);
  /// Total size resting at px on side s.
  size qty_at(side s, price px) const;
  /// True if a taker on side taker_side with limit px would execute now.
  bool crosses(side taker_side, price px) const;
  /// Calls f(price, total) for up to depth levels of side s from the best (depth 0 = all).
  void for_each_level(side s, std::size_t depth, const std::function<void(price, size)>& f) const;
  /// Number of price levels on side s.
  std::size_t level_count(side s) const { return s == side::buy ? bids_.size() : asks_.size(); }
  /// Levels changed since the last clear_touched(), in order of change (may repeat).
  const std::vector<touched_level>& touched() const { return touched_; }
  /// Forgets the changed levels (keeps the buffer).
  void clear_touched() { touched_.clear(); }

private:
  using bid_map = std::map<std::int64_t, book_level, std::greater<>>;
  using ask_map = std::map<std::int64_t, book_level>;
  book_level* level(side s, price px);
  template <class Map>
  book_level& level_for(Map& map, std::int64_t px);
  template <class Map>
  void erase_level(Map& map, typename Map::iterator it);
  template <class Map>
  size remove_from(Map& map, side s, price px, std::uint64_t ref);

  bid_map bids_;
  ask_map asks_;
  // Emptied levels are kept (with their queue's buffer) and reused for the next new level,
  // so the market model's ladder refresh does not allocate per level.
  std::vector<bid_map::node_type> spare_bids_;
  std::vector<ask_map::node_type> spare_asks_;
  std::vector<touched_level> touched_;
};

} // namespace trader::simex
