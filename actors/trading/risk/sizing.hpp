#pragma once
// Turns an allowed amount into an order the exchange accepts: price at or inside the touch
// for post-only, fee-aware size (a buy's cost with its fee stays within the allowance),
// base/quote increment rounding, product min/max size and min/max funds, the fee-adjusted
// minimum (the amount after fees still meets it) with round-up when a cap leaves room.
// Rounding never takes an order above a cap. Fixed point throughout. No CAF.

#include "actors/trading/risk/fixed_math.hpp"
#include "actors/trading/risk/market_view.hpp"
#include "messages/orders.hpp"
#include "messages/trading.hpp"

#include <optional>
#include <string>

namespace trader::risk {

/// Fee rates in ppm of the order value (40 bps = 4'000 ppm).
struct fee_rates {
  ppm maker = 4'000;
  ppm taker = 6'000;
};

/// The rates an exchange reports (ratios: 0.005 = 0.50 %) as fee_rates; nullopt when not
/// plausible (negative or above 10 %): the rates in use stay. traderd's risk (the accounts'
/// fee tier) and backtest (the engine's tier for its account) both read them through this.
std::optional<fee_rates> reported_fee_rates(double maker_rate, double taker_rate);

/// What to size.
struct sizing_request {
  side dir = side::buy;
  bool close_all = false;      ///< Sell the whole position (close).
  notional desired;            ///< Wanted amount (buys: spend with fees; sells: value).
  notional cap;                ///< Hard ceiling from every check (buys: spend with fees); ≥ desired.
  size held;                   ///< Position size (sells never exceed it).
  price bid, ask;              ///< The touch.
  price limit_px;              ///< The proposal's limit; zero = none.
  order_type type = order_type::limit;
  bool post_only = true;
  std::int64_t improve_ticks = 0;  ///< Post-only: ticks inside the touch (still never crossing).
  fee_rates fees;
  notional min_order;          ///< Our own minimum (min_order_usd), after fees.
};

/// A sized order, or why none.
struct sizing_result {
  bool ok = false;
  rejection why;               ///< BELOW_PRODUCT_MINIMUM / INVALID_QUOTE when !ok.
  price limit_px;              ///< Limit orders.
  size base;                   ///< Limit orders and market sells.
  notional quote;              ///< Market buys (quote_size).
  notional value;              ///< base × limit_px (or quote for a market buy).
  notional fee;                ///< Estimated fee, rounded up.
  bool rounded_up = false;     ///< Raised to the fee-adjusted minimum.
};

/// The post-only limit price: `improve_ticks` inside the touch (buy: bid + k, sell:
/// ask − k ticks), never crossing (buy < ask, sell > bid), never beyond `limit` (zero =
/// none), on the price increment (buys rounded down, sells up). Zero when impossible.
price post_only_price(side dir, price bid, price ask, price tick, std::int64_t improve_ticks, price limit);

/// Sizes one order under `rules`.
sizing_result size_order(const sizing_request& r, const product_rules& rules);

} // namespace trader::risk
