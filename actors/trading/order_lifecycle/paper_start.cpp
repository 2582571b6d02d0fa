#include "actors/trading/order_lifecycle/paper_start.hpp"

#include "actors/trading/order_lifecycle/balance_check.hpp"
#include "actors/trading/order_lifecycle/lifecycle_book.hpp"

namespace trader::order_lifecycle {

paper_holdings paper_holdings_from(const std::vector<persistence::fill_record>& fills, notional starting_cash) {
  paper_holdings out;
  lifecycle_book book{lifecycle_options{}};
  out.problems = book.restore({}, fills);
  out.cash = starting_cash + book.book().cash();
  if (out.cash.is_negative()) {
    out.problems += "cash " + to_string(out.cash) + " below zero, PAPER starts with 0; ";
    out.cash = notional{};
  }
  for (const auto& [product, p] : book.book().positions()) {
    if (p.qty.is_negative()) {
      out.problems += product + " position " + to_string(p.qty) + " is short, PAPER holds none; ";
      continue;
    }
    if (p.qty.units > 0)
      out.coins[base_currency_of(product)] += p.qty;
  }
  return out;
}

} // namespace trader::order_lifecycle
