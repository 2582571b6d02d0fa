#include "tools/simex/engine/types.hpp"

namespace trader::simex {

notional apply_rate(notional x, rate r) {
  return notional::from_units(detail::mul_units(x.units, r.units).value_or(0));
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
