#pragma once
// Pyramiding counts per open position, kept by risk (the ledger has fills, not adds): the
// quantity first seen (adds are sized from it), adds over the position's life and in the
// UTC day of the last add, when the last add went out and at what price (the next add must
// be min_add_distance_pct above it). An add counts when its intent is sent — a refused or
// unfilled add still counts, which errs on the safe side. Forgotten when the position is
// gone. Versioned JSON for the risk store. No CAF.

#include "messages/ids.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace trader::risk {

struct position_view;

/// One position's adds.
struct pyramid_record {
  size initial_qty;             ///< Quantity when risk first saw the position.
  std::int64_t adds = 0;        ///< Adds sent over the position's life.
  std::int64_t adds_today = 0;  ///< Adds sent in the UTC day of last_add_at.
  ts_ns last_add_at = 0;        ///< 0 = none yet.
  price last_entry;             ///< Price of the last add; zero = none yet.
};

class pyramid_book {
public:
  /// A position seen in the ledger: recorded with its quantity unless known. True when new.
  bool opened(const product_id& p, size qty);
  /// An add to p went out at px (the limit price, or the touch for a market order).
  void added(const product_id& p, price px, ts_ns now);
  /// The position is gone. True when it was known.
  bool closed(const product_id& p);
  const pyramid_record* find(const product_id& p) const;
  /// Copies the record of v.product into v (initial_qty, adds, adds_today, last add).
  void fill(position_view& v) const;
  const std::map<product_id, pyramid_record>& records() const { return records_; }

  /// {"v":1,"positions":[…]}.
  std::string to_json() const;
  /// Restores to_json()'s output; nullopt when malformed or of an unknown version.
  static std::optional<pyramid_book> from_json(std::string_view text);

private:
  std::map<product_id, pyramid_record> records_;
};

} // namespace trader::risk
