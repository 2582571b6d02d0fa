#pragma once
// Vocabulary of the simulated exchange: sides, statuses, order kinds and the amount type
// balances are kept in. Names render exactly as Coinbase spells them on the wire.

#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <cstdint>
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
