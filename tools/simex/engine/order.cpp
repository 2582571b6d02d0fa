#include "tools/simex/engine/order.hpp"

namespace trader::simex {

price order_record::average_filled_price() const {
  if (filled_size.is_zero())
    return price{};
  return price::from_units(detail::div_units(filled_value.units, filled_size.units).value_or(0));
}

std::string order_record::completion_percentage() const {
  std::int64_t pct_units = 0;  // percent × 1e8
  if (req.base_size && !req.base_size->is_zero())
    pct_units = detail::div_units(filled_size.units * 100, req.base_size->units).value_or(0);
  else if (req.quote_size && !req.quote_size->is_zero())
    pct_units = detail::div_units(filled_value.units * 100, req.quote_size->units).value_or(0);
  if (status == order_status::filled)
    pct_units = 100 * notional::scale;
  // Coinbase writes two decimals at most ("100", "50", "33.33").
  pct_units = pct_units / 1'000'000 * 1'000'000;
  return detail::format_units(pct_units);
}

} // namespace trader::simex
