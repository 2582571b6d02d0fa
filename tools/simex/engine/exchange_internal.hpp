#pragma once
// Private pieces of exchange shared by its .cpp files (not part of the public surface).

#include "tools/simex/engine/exchange.hpp"

namespace trader::simex {

/// House refs carry the top bit, so they never collide with user order seqs.
constexpr std::uint64_t house_bit = 1ULL << 63;

struct exchange::market {
  product p;
  order_book book;
  market_stats stats;
  std::uint64_t seq = 0;  ///< l2 sequence.
  std::uint64_t house_used_up = 0;  ///< House orders takers have filled whole.
  stats_24h day;
  std::int64_t day_minute = -1;
};

/// A house ref: house_bit, a running count, and the slot in exchange::house_ (low bits).
constexpr int house_slot_bits = 24;
constexpr std::uint64_t house_slot_mask = (1ULL << house_slot_bits) - 1;

struct exchange::house_order {
  market* m = nullptr;    ///< nullptr: a free slot. Markets are never removed, so it stays valid.
  std::uint64_t ref = 0;  ///< The ref of the order in this slot now.
  side s = side::buy;
  price px;
  size qty;
};

struct exchange::volume_entry {
  ts_ns time;
  notional usd;
  notional fee;
};

/// Fills of the last 30 days with running totals; old entries are pruned as fills arrive,
/// so queries only walk the few stale entries at the front.
struct exchange::user_volume {
  std::deque<volume_entry> entries;  ///< Ascending time.
  notional usd;                       ///< Σ entries.usd.
  notional fee;                       ///< Σ entries.fee.
};

/// Thirty days of engine time.
constexpr ts_ns fee_window = 30LL * 86400 * ns_per_s;

/// The aggressor of a match: a user order or the house.
struct exchange::taker {
  order_record* order = nullptr;  ///< nullptr for the house.
  side s = side::buy;
  std::optional<price> limit;
  bool by_quote = false;
  size base_left;
  notional quote_left;
  rate fee;  ///< Taker rate (quote budget accounting).
  bool traded = false;
};

/// Result of walking the book without touching it.
struct walk_result {
  size base;
  notional quote;
};

/// Walks side opposite to taker_side up to limit, a base budget or a quote budget (fees at
/// fee_rate included when spending quote), the way match() would.
walk_result walk_book(const order_book& book, side taker_side, std::optional<price> limit,
                      std::optional<size> base_budget, std::optional<notional> quote_budget, rate fee_rate,
                      size base_increment);

/// Largest multiple of inc with px × q × (1 + fee) ≤ budget.
size affordable(notional budget, price px, rate fee, size inc);

} // namespace trader::simex
