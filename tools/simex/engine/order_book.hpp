#pragma once
// A price-time priority book for one product: levels keyed by price, a FIFO per level.
// It knows nothing about owners or balances; entries are references the exchange resolves.

#include "tools/simex/engine/types.hpp"

#include <functional>
#include <optional>
#include <vector>

namespace trader::simex {

/// One resting order in a level's queue.
struct book_entry {
  std::uint64_t ref = 0;  ///< The exchange's handle (user order seq or house ref).
  size qty;               ///< Remaining size.
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
  std::size_t level_count(side s) const { return side_of(s).levels.size(); }
  /// Levels changed since the last clear_touched(), in order of change (may repeat).
  const std::vector<touched_level>& touched() const { return touched_; }
  /// Forgets the changed levels (keeps the buffer).
  void clear_touched() { touched_.clear(); }

private:
  /// One price level: its total and its queue (resting orders oldest first) in queues_.
  /// Trivially copyable, so inserting or erasing a level moves a few bytes.
  struct level {
    std::int64_t px = 0;
    size total;             ///< Σ qty of the queue.
    std::uint32_t queue = 0;  ///< Index into queues_.
  };
  /// One side's levels from the worst price to the best (the best at the back, where takers
  /// consume): a flat vector, as the market model's ladder is ~10–20 levels that move every
  /// step, and a tree allocated, rebalanced and chased pointers per level.
  struct book_side {
    explicit book_side(bool is_bids) : bids(is_bids) {}
    bool bids;
    std::vector<level> levels;
    /// Index of the first level not worse than px (levels.size() if none).
    std::size_t lower(std::int64_t px) const;
    /// Index of the level at px, or levels.size() if absent.
    std::size_t find(std::int64_t px) const;
  };
  book_side& side_of(side s) { return s == side::buy ? bids_ : asks_; }
  const book_side& side_of(side s) const { return s == side::buy ? bids_ : asks_; }
  std::vector<book_entry>& queue(const level& l) { return queues_[l.queue]; }
  /// The level at px, inserted with a free queue where it belongs if absent.
  level& level_for(book_side& bs, std::int64_t px);
  /// Removes level i; its queue (and buffer) is free for the next new level.
  void erase_level(book_side& bs, std::size_t i);

  book_side bids_{true};
  book_side asks_{false};
  std::vector<std::vector<book_entry>> queues_;  ///< Level queues, reused (no allocation per level).
  std::vector<std::uint32_t> free_queues_;
  std::vector<touched_level> touched_;
};

} // namespace trader::simex
