#pragma once
// Builders shared by the simex unit tests.

#include "tools/simex/engine/exchange.hpp"

namespace trader::simex::test {

inline constexpr ts_ns t0 = 1'786'309'548LL * ns_per_s;  ///< 2026-08-09T21:05:48Z.

inline price px(const char* s) { return *parse_fixed<price_tag>(s); }
inline size qty(const char* s) { return *parse_fixed<size_tag>(s); }
inline notional usd(const char* s) { return *parse_fixed<notional_tag>(s); }
inline amount amt(const char* s) { return *parse_fixed<amount_tag>(s); }

/// BTC-USD with Coinbase's increments and a 0.0001 minimum size.
inline product btc_usd() {
  product p;
  p.id = "BTC-USD";
  p.base_currency = "BTC";
  p.quote_currency = "USD";
  p.base_name = "Bitcoin";
  p.quote_name = "US Dollar";
  p.base_increment = qty("0.00000001");
  p.quote_increment = px("0.01");
  p.base_min_size = qty("0.0001");
  p.base_max_size = qty("3400");
  return p;
}

/// An exchange with BTC-USD and two funded users, alice and bob.
inline void setup(exchange& ex) {
  ex.add_product(btc_usd());
  for (const char* u : {"alice", "bob"}) {
    ex.deposit(u, "USD", amt("100000"));
    ex.deposit(u, "BTC", amt("10"));
  }
}

inline order_request limit(const char* user, side s, const char* price, const char* size, const char* coid,
                           bool post_only = false) {
  order_request r;
  r.user = user;
  r.client_order_id = coid;
  r.product_id = "BTC-USD";
  r.order_side = s;
  r.kind = order_kind::limit_gtc;
  r.limit_price = px(price);
  r.base_size = qty(size);
  r.post_only = post_only;
  return r;
}

inline order_request market(const char* user, side s, const char* size, const char* coid) {
  order_request r;
  r.user = user;
  r.client_order_id = coid;
  r.product_id = "BTC-USD";
  r.order_side = s;
  r.kind = order_kind::market_ioc;
  r.base_size = qty(size);
  return r;
}

} // namespace trader::simex::test
