#include "runtime/persistence/records.hpp"

namespace trader::persistence {

const char* to_string(order_side x) {
  switch (x) {
    case order_side::buy: return "buy";
    case order_side::sell: return "sell";
  }
  return "invalid";
}

const char* to_string(order_kind x) {
  switch (x) {
    case order_kind::market: return "market";
    case order_kind::limit: return "limit";
    case order_kind::stop_limit: return "stop_limit";
  }
  return "invalid";
}

const char* to_string(order_status x) {
  switch (x) {
    case order_status::created: return "created";
    case order_status::open: return "open";
    case order_status::partially_filled: return "partially_filled";
    case order_status::filled: return "filled";
    case order_status::canceled: return "canceled";
    case order_status::expired: return "expired";
    case order_status::rejected: return "rejected";
    case order_status::failed: return "failed";
    case order_status::unknown: return "unknown";
  }
  return "invalid";
}

const char* to_string(fill_liquidity x) {
  switch (x) {
    case fill_liquidity::unknown: return "unknown";
    case fill_liquidity::maker: return "maker";
    case fill_liquidity::taker: return "taker";
  }
  return "invalid";
}

bool is_open(order_status x) {
  switch (x) {
    case order_status::created:
    case order_status::open:
    case order_status::partially_filled:
    case order_status::unknown: return true;
    case order_status::filled:
    case order_status::canceled:
    case order_status::expired:
    case order_status::rejected:
    case order_status::failed: return false;
  }
  return true;
}

} // namespace trader::persistence
