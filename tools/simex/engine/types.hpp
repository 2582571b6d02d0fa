#pragma once
// Vocabulary of the simulated exchange: sides, statuses, order kinds and the amount type
// balances are kept in. Names render exactly as Coinbase spells them on the wire.

#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace trader::simex {

struct amount_tag {};
struct rate_tag {};
/// A quantity of any currency (base or quote); balances and holds are kept in it.
using amount = fixed<amount_tag>;
/// A dimensionless rate such as a fee rate ("0.006" = 0.6 %).
using rate = fixed<rate_tag>;

/// Converts a base quantity into an amount of the base currency.
constexpr amount as_amount(size s) { return amount::from_units(s.units); }
/// Converts a quote notional into an amount of the quote currency.
constexpr amount as_amount(notional n) { return amount::from_units(n.units); }
/// x × r rounded half away from zero to 1e-8 (a fee on a notional).
notional apply_rate(notional x, rate r);

/// An exact quote amount: price × size products and their sums without rounding, in 10^-16
/// units (an order's filled_value). Coinbase reports these unrounded.
struct exact_notional {
  static constexpr std::int64_t per_unit = 100'000'000;  ///< 10^-16 units per 10^-8 unit.
  __int128 units = 0;  ///< The value times 10^16.

  /// p × q, exactly.
  static exact_notional of(price p, size q) { return {static_cast<__int128>(p.units) * q.units}; }
  /// A notional, exactly.
  static exact_notional of(notional n) { return {static_cast<__int128>(n.units) * per_unit}; }
  auto operator<=>(const exact_notional&) const = default;
  exact_notional operator+(exact_notional o) const { return {units + o.units}; }
  exact_notional operator-(exact_notional o) const { return {units - o.units}; }
  exact_notional& operator+=(exact_notional o) { units += o.units; return *this; }
  /// Rounded half away from zero to 10^-8 (ledger precision).
  notional rounded() const;
  /// value / q: the average price of a filled size q, rounded half away from zero to 10^-8
  /// (exact when every fill had one price); zero when q is zero.
  price per(size q) const;
};
/// x × r rounded half away from zero to 1e-8 (the fee on an exact notional).
notional apply_rate(exact_notional x, rate r);
/// Shortest exact decimal text: "9.9104535504", "100", "-0.5".
std::string to_string(exact_notional x);

/// BUY or SELL.
enum class side : std::uint8_t { buy, sell };
/// The other side.
constexpr side opposite(side s) { return s == side::buy ? side::sell : side::buy; }
/// "BUY" / "SELL".
std::string_view to_wire(side s);

/// REST order status.
enum class order_status : std::uint8_t { pending, open, filled, cancelled, expired, failed };
/// "OPEN", "FILLED", "CANCELLED", ...
std::string_view to_wire(order_status s);
/// True for FILLED, CANCELLED, EXPIRED, FAILED.
constexpr bool is_terminal(order_status s) {
  return s == order_status::filled || s == order_status::cancelled || s == order_status::expired
         || s == order_status::failed;
}

/// The order_configuration key the order was created with.
enum class order_kind : std::uint8_t { market_ioc, limit_gtc, limit_gtd, limit_ioc, limit_fok };
/// "market_market_ioc", "limit_limit_gtc", "limit_limit_gtd", "sor_limit_ioc", "limit_limit_fok".
std::string_view config_key(order_kind k);
/// "MARKET" / "LIMIT".
std::string_view order_type_wire(order_kind k);
/// "Market" / "Limit" as the WS user channel writes it.
std::string_view order_type_ws(order_kind k);
/// "IMMEDIATE_OR_CANCEL", "GOOD_UNTIL_CANCELLED", "GOOD_UNTIL_DATE_TIME", "FILL_OR_KILL".
std::string_view time_in_force_wire(order_kind k);
/// True for orders that never rest (market IOC, limit IOC, limit FOK).
constexpr bool is_immediate(order_kind k) {
  return k == order_kind::market_ioc || k == order_kind::limit_ioc || k == order_kind::limit_fok;
}

/// Product trading status; each value is also a flag on the product object.
enum class product_status : std::uint8_t { online, post_only, limit_only, cancel_only, offline };
/// "online", "post_only", ... as accepted in scenario files.
std::string_view to_wire(product_status s);
/// Parses to_wire's spelling; false when unknown.
bool parse_product_status(std::string_view text, product_status& out);

/// MAKER or TAKER.
enum class liquidity : std::uint8_t { maker, taker };
/// "MAKER" / "TAKER".
std::string_view to_wire(liquidity l);

} // namespace trader::simex
