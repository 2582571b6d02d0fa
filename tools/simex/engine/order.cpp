#include "tools/simex/engine/order.hpp"

namespace trader::simex {

exact_notional order_record::total_value_after_fees() const {
  const auto fees = exact_notional::of(total_fees);
  return req.order_side == side::buy ? filled_value + fees : filled_value - fees;
}

std::string order_record::completion_percentage() const {
  std::int64_t pct_units = 0;  // percent × 1e8
  if (req.base_size && !req.base_size->is_zero())
    pct_units = detail::div_units(filled_size.units * 100, req.base_size->units).value_or(0);
  else if (req.quote_size && !req.quote_size->is_zero()) {
    // A buy by quote spends the quote including the fee.
    const notional spent = filled_value.rounded() + (req.order_side == side::buy ? total_fees : notional{});
    pct_units = detail::div_units(spent.units * 100, req.quote_size->units).value_or(0);
  }
  if (status == order_status::filled)
    pct_units = 100 * notional::scale;
  // Coinbase writes two decimals at most ("100", "50", "33.33").
  pct_units = pct_units / 1'000'000 * 1'000'000;
  return detail::format_units(pct_units);
}

} // namespace trader::simex
