#pragma once
// What PAPER's simulated account holds at start (docs/orders.md "PAPER"): the ledger's coins
// and cash as the stored fills give them, so a restart of traderd does not reset what PAPER
// owns; a fresh store starts with the configured cash only. No CAF.

#include "runtime/persistence/records.hpp"

#include "messages/numeric.hpp"

#include <map>
#include <string>
#include <vector>

namespace trader::order_lifecycle {

struct paper_holdings {
  notional cash;                      ///< starting_cash + what the stored fills moved (never below zero).
  std::map<std::string, size> coins;  ///< By base currency ("BTC"): Σ long positions of its products.
  std::string problems;               ///< Clamped values and refused fills ("" when none).
};

/// The ledger rebuilt from `fills` (as order_lifecycle rebuilds it at start), with the cash of
/// a fresh account, `starting_cash`, moved by every fill. A short position or a negative cash
/// (fills of another mode, a smaller starting cash than before) is clamped to zero and named
/// in `problems`.
paper_holdings paper_holdings_from(const std::vector<persistence::fill_record>& fills, notional starting_cash);

} // namespace trader::order_lifecycle
