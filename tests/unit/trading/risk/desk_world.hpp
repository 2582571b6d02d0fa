#pragma once
// Builders for the tests of risk_desk and risk_step: BTC-USD catalogued, quoted 50 000 /
// 50 001 with a level-2 book, a reconciled ledger, a held position, a 400 USD breakout buy.

#include "actors/trading/risk/risk_desk.hpp"
#include "risk_world.hpp"

#include <string>
#include <vector>

namespace risk_test {

inline product_info btc_info() {
  product_info p;
  p.product = pid("BTC-USD");
  p.base_currency = "BTC";
  p.quote_currency = "USD";
  p.price_increment = px(0.01);
  p.base_increment = qty(0.00000001);
  p.base_min_size = qty(0.00001);
  p.base_max_size = qty(10'000);
  p.quote_min_size = usd(1);
  p.state = product_state::online;
  return p;
}

inline position_state held(const std::string& product, double q, double entry, ts_ns updated = t0 - seconds(7200)) {
  position_state p;
  p.product = pid(product);
  p.strategy = "breakout";
  p.qty = qty(q);
  p.avg_entry = px(entry);
  p.fills = 1;
  p.opened_at = updated;
  p.updated_at = updated;
  return p;
}

inline portfolio_update ledger(double cash, std::vector<position_state> positions = {}, std::uint64_t version = 1) {
  portfolio_update u;
  u.version = version;
  u.cash = usd(cash);
  u.positions = std::move(positions);
  u.ts = t0;
  u.reconciled = true;
  return u;
}

/// A desk with BTC-USD catalogued and quoted 50 000 / 50 001.
inline risk_desk desk_with_btc(risk_policy p = default_risk_policy()) {
  risk_desk d{std::move(p)};
  d.on_products({btc_info()});
  d.on_quote(quote_at("BTC-USD", 50'000, 50'001, 1, t0));
  book_update b;  // the same as a level-2 book (require_book)
  b.product = pid("BTC-USD");
  b.is_snapshot = true;
  b.bids = {{px(50'000), qty(1)}};
  b.asks = {{px(50'001), qty(1)}};
  d.on_book(b);
  return d;
}

inline trade_proposal buy_btc(double target = 400) {
  trade_proposal p;
  p.proposal_id = "breakout:1";
  p.strategy = "breakout";
  p.product = pid("BTC-USD");
  p.target = usd(target);
  p.ts = t0;
  return p;
}

} // namespace risk_test
