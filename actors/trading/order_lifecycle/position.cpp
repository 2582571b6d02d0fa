#include "actors/trading/order_lifecycle/position.hpp"

#include <algorithm>
#include <cstdlib>

namespace trader::order_lifecycle {

std::int64_t mul_div_units(std::int64_t a, std::int64_t b, std::int64_t c) {
  const __int128 num = static_cast<__int128>(a) * b;
  const __int128 half = c / 2;
  const __int128 q = num >= 0 ? (num + half) / c : -((-num + half) / c);
  return static_cast<std::int64_t>(q);
}

price position::avg_entry() const {
  if (qty.is_zero())
    return price{};
  return price{mul_div_units(cost.units, size::scale, std::llabs(qty.units))};
}

notional book_fill(position& p, size delta, price px, notional fee, ts_ns at) {
  p.fees += fee;
  p.updated_at = std::max(p.updated_at, at);
  if (delta.is_zero()) {
    // All of it went to a base fee: the fee is a cost of the position, paid now.
    p.realized -= fee;
    return -fee;
  }
  const std::int64_t d = std::llabs(delta.units);
  const bool adds = p.qty.is_zero() || (p.qty.units > 0) == (delta.units > 0);
  if (adds) {
    p.cost += px * size{d};
    p.entry_fees += fee;
    p.qty += delta;
    return notional{};
  }
  // Reduces (and maybe flips): r of the held q closes at px.
  const std::int64_t q = std::llabs(p.qty.units);
  const std::int64_t r = std::min(q, d);
  const notional cost_part{r == q ? p.cost.units : mul_div_units(p.cost.units, r, q)};
  const notional entry_part{r == q ? p.entry_fees.units : mul_div_units(p.entry_fees.units, r, q)};
  const notional exit_part{r == d ? fee.units : mul_div_units(fee.units, r, d)};
  const notional proceeds = px * size{r};
  const notional gross = p.qty.units > 0 ? proceeds - cost_part : cost_part - proceeds;
  const notional realized = gross - entry_part - exit_part;
  p.cost -= cost_part;
  p.entry_fees -= entry_part;
  p.qty += delta;
  p.realized += realized;
  if (d > q) {
    // The rest opens the other way at px, carrying the rest of this fill's fee.
    p.cost = px * size{d - q};
    p.entry_fees = fee - exit_part;
  } else if (p.qty.is_zero()) {
    p.cost = notional{};
    p.entry_fees = notional{};
  }
  return realized;
}

} // namespace trader::order_lifecycle
