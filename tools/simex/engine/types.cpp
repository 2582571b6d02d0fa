#include "tools/simex/engine/types.hpp"

namespace trader::simex {

notional apply_rate(notional x, rate r) {
  return notional::from_units(detail::mul_units(x.units, r.units).value_or(0));
}

namespace {
/// a / b rounded half away from zero (b > 0).
__int128 div_round(__int128 a, __int128 b) {
  const __int128 q = (a < 0 ? -a : a) / b, r = (a < 0 ? -a : a) % b;
  const __int128 m = 2 * r >= b ? q + 1 : q;
  return a < 0 ? -m : m;
}
} // namespace

notional exact_notional::rounded() const {
  return notional::from_units(static_cast<std::int64_t>(div_round(units, per_unit)));
}

price exact_notional::per(size q) const {
  if (q.units <= 0)
    return price{};
  return price::from_units(static_cast<std::int64_t>(div_round(units, q.units)));
}

notional apply_rate(exact_notional x, rate r) {
  // units (1e-16) × rate units (1e-8) = 1e-24; back to 1e-8 units.
  constexpr __int128 to_units = static_cast<__int128>(exact_notional::per_unit) * 100'000'000;
  return notional::from_units(static_cast<std::int64_t>(div_round(x.units * r.units, to_units)));
}

std::string to_string(exact_notional x) {
  constexpr int places = 16;
  const bool neg = x.units < 0;
  unsigned __int128 mag = neg ? static_cast<unsigned __int128>(-(x.units + 1)) + 1 : static_cast<unsigned __int128>(x.units);
  char digits[48];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + static_cast<int>(mag % 10));
    mag /= 10;
  } while (mag != 0);
  while (n <= places)
    digits[n++] = '0';  // at least one digit before the point
  int low = 0;  // trailing fractional zeros to drop
  while (low < places && digits[low] == '0')
    ++low;
  std::string out;
  if (neg)
    out.push_back('-');
  for (int i = n - 1; i >= places; --i)
    out.push_back(digits[i]);
  if (low < places) {
    out.push_back('.');
    for (int i = places - 1; i >= low; --i)
      out.push_back(digits[i]);
  }
  return out;
}

std::string_view to_wire(side s) {
  return s == side::buy ? "BUY" : "SELL";
}

std::string_view to_wire(order_status s) {
  switch (s) {
    case order_status::pending: return "PENDING";
    case order_status::open: return "OPEN";
    case order_status::filled: return "FILLED";
    case order_status::cancelled: return "CANCELLED";
    case order_status::expired: return "EXPIRED";
    case order_status::failed: return "FAILED";
  }
  return "UNKNOWN_ORDER_STATUS";
}

std::string_view config_key(order_kind k) {
  switch (k) {
    case order_kind::market_ioc: return "market_market_ioc";
    case order_kind::limit_gtc: return "limit_limit_gtc";
    case order_kind::limit_gtd: return "limit_limit_gtd";
    case order_kind::limit_ioc: return "sor_limit_ioc";
    case order_kind::limit_fok: return "limit_limit_fok";
  }
  return "";
}

std::string_view order_type_wire(order_kind k) {
  return k == order_kind::market_ioc ? "MARKET" : "LIMIT";
}

std::string_view order_type_ws(order_kind k) {
  return k == order_kind::market_ioc ? "Market" : "Limit";
}

std::string_view time_in_force_wire(order_kind k) {
  switch (k) {
    case order_kind::market_ioc: return "IMMEDIATE_OR_CANCEL";
    case order_kind::limit_gtc: return "GOOD_UNTIL_CANCELLED";
    case order_kind::limit_gtd: return "GOOD_UNTIL_DATE_TIME";
    case order_kind::limit_ioc: return "IMMEDIATE_OR_CANCEL";
    case order_kind::limit_fok: return "FILL_OR_KILL";
  }
  return "UNKNOWN_TIME_IN_FORCE";
}

std::string_view to_wire(product_status s) {
  switch (s) {
    case product_status::online: return "online";
    case product_status::post_only: return "post_only";
    case product_status::limit_only: return "limit_only";
    case product_status::cancel_only: return "cancel_only";
    case product_status::offline: return "offline";
  }
  return "offline";
}

bool parse_product_status(std::string_view text, product_status& out) {
  for (auto s : {product_status::online, product_status::post_only, product_status::limit_only,
                 product_status::cancel_only, product_status::offline}) {
    if (to_wire(s) == text) {
      out = s;
      return true;
    }
  }
  return false;
}

std::string_view to_wire(liquidity l) {
  return l == liquidity::maker ? "MAKER" : "TAKER";
}

} // namespace trader::simex
