#pragma once
// A position and the one step that books a fill into it (weighted average entry, realized
// PnL on reduces net of the exit fee and the proportional entry fees). No CAF.

#include "messages/numeric.hpp"
#include "messages/time.hpp"

namespace trader::order_lifecycle {

/// One product's position. Signed: a sell beyond the held size opens a short (spot cannot
/// short; then it means coins held outside the ledger and shows as a reconcile mismatch).
struct position {
  size qty;              ///< Signed base quantity held.
  notional cost;         ///< Entry cost of |qty| at the entry prices (≥ 0).
  notional entry_fees;   ///< Entry fees of the open quantity, charged as it is reduced.
  notional realized;     ///< Realized PnL net of fees since the ledger began.
  notional fees;         ///< Every fee paid on this product.
  ts_ns updated_at = 0;  ///< ts_event of the last fill booked.

  /// Quantity-weighted average entry price (cost / |qty|); zero when flat.
  price avg_entry() const;
  bool flat() const { return qty.is_zero(); }
  bool operator==(const position&) const = default;
};

/// Books delta coins (signed: + bought, - sold) at px with fee (quote, all of this fill's
/// fees) into p; returns the PnL this fill realized (zero for entries).
notional book_fill(position& p, size delta, price px, notional fee, ts_ns at);

/// a × b / c rounded half away from zero, on 128 bits (c > 0).
std::int64_t mul_div_units(std::int64_t a, std::int64_t b, std::int64_t c);

} // namespace trader::order_lifecycle
