#pragma once
// What risk knows about the market at decision time: per product its trading rules, its
// exchange status (or that none is known), the newest quote, the visible book near the
// touch, and its ATR; plus the regime's size multiplier and the measured clock offset.
// Built by the risk actor from products, market_data and the regime detector. No CAF.

#include "messages/ids.hpp"
#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace trader::risk {

/// A product's trading rules (products endpoint).
struct product_rules {
  product_id product;           ///< "BTC-USD".
  std::string base;             ///< "BTC".
  std::string quote;            ///< "USD".
  price price_increment;        ///< Limit prices are multiples of this.
  size base_increment;          ///< Base sizes are multiples of this.
  notional quote_increment;     ///< Quote sizes (market buys) are multiples of this.
  size base_min;                ///< Smallest base size.
  size base_max;                ///< Largest base size; zero = none.
  notional min_funds;           ///< Smallest order value (min market funds).
  notional max_funds;           ///< Largest order value; zero = none.
};

/// One product's market state.
struct market_entry {
  product_rules rules;
  std::optional<product_state> status;  ///< Empty = no status known yet (blocked).
  std::optional<quote> top;             ///< Newest top of book; empty = none received.
  std::vector<book_level> bids;         ///< Best first; empty = only the quote is known.
  std::vector<book_level> asks;         ///< Best first.
  price atr;                            ///< Average true range for ATR exits; zero = unknown.
};

/// Every product risk may trade, by id.
class market_snapshot {
public:
  /// Adds or replaces the entry of e.rules.product.
  void upsert(market_entry e);
  /// The entry of p, or null.
  const market_entry* find(const product_id& p) const;
  /// The entry of p to change in place, or null.
  market_entry* edit(const product_id& p);
  /// Every entry (unordered).
  const std::unordered_map<product_id, market_entry>& entries() const { return entries_; }

  double regime_multiplier = 1.0;  ///< Size multiplier of the current regime; 0 = no new risk.
  std::string regime = "chop";     ///< Its name, for audit.
  std::int64_t clock_offset_ns = 0;  ///< Exchange clock − local clock, as the clock actor measured.

private:
  std::unordered_map<product_id, market_entry> entries_;
};

/// "BTC" from "BTC-USD" (the text before the first '-'; the whole id when there is none).
std::string_view base_of(const product_id& p);
/// Mid of a quote, rounded down to the unit.
price mid(const quote& q);
/// (ask − bid) / mid in bps; display and comparison against a bps limit.
double spread_bps(const quote& q);
/// Age of a quote at `now` (local), skew aware: the larger of the local receipt age and the
/// exchange-time age corrected by the clock offset (exchange − local). Negative when the
/// exchange stamp lies in the future even after correction.
std::int64_t quote_age_ns(const quote& q, ts_ns now, std::int64_t clock_offset_ns);

/// The product to trade `base` on: the online product with a fresh, uncrossed quote whose
/// quote currency is in `quotes`, tightest spread first, then the order of `quotes`.
std::optional<product_id> best_pair(std::string_view base, const market_snapshot& m,
                                    const std::vector<std::string>& quotes, ts_ns now, std::int64_t max_age_ns);

} // namespace trader::risk
