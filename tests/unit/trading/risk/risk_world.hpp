#pragma once
// Builders for the risk core's unit tests: a small, valid world in which a default
// proposal passes every check, so each test changes exactly one thing to trigger one check.
//   NAV 20 000 USD → max position 3 % = 600, min position 0.5 % = 100, per asset 5 % =
//   1 000, large_caps theme 10 % = 2 000, breakout budget 15 % = 3 000, total 25 % = 5 000;
//   max order 500 USD. BTC-USD quoted 50 000 / 50 001 with 1 BTC on each side.

#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/checks/checks.hpp"
#include "actors/trading/risk/risk_engine.hpp"

#include <string>

namespace risk_test {

using namespace trader;
using namespace trader::risk;

/// Wednesday 2026-12-02 12:00:00 UTC (ISO week 2026-W49).
inline constexpr ts_ns t0 = 1'796'212'800LL * ns_per_s;
inline constexpr ts_ns seconds(std::int64_t s) { return s * ns_per_s; }

inline price px(double v) { return price::from_double(v); }
inline size qty(double v) { return size::from_double(v); }
inline notional usd(double v) { return notional::from_double(v); }
inline product_id pid(const std::string& s) { return product_id{s}; }

inline product_rules rules_for(const std::string& product, const std::string& base, const std::string& quote_ccy = "USD") {
  product_rules r;
  r.product = pid(product);
  r.base = base;
  r.quote = quote_ccy;
  r.price_increment = px(0.01);
  r.base_increment = qty(0.00000001);
  r.quote_increment = usd(0.01);
  r.base_min = qty(0.00001);
  r.base_max = qty(10000);
  r.min_funds = usd(1);
  return r;
}

inline quote quote_at(const std::string& product, double bid, double ask, double sz, ts_ns t) {
  return quote{pid(product), px(bid), px(ask), qty(sz), qty(sz), px(bid), 1, t, t};
}

inline market_entry entry_for(const std::string& product, const std::string& base, double bid, double ask, double sz,
                              ts_ns t = t0) {
  market_entry e;
  e.rules = rules_for(product, base);
  e.status = product_state::online;
  e.top = quote_at(product, bid, ask, sz, t);
  return e;
}

inline position_view position(const std::string& product, double q, double entry, double mark,
                              const std::string& strategy = "breakout") {
  position_view p;
  p.product = pid(product);
  p.strategy = strategy;
  p.qty = qty(q);
  p.initial_qty = qty(q);
  p.avg_entry = px(entry);
  p.mark = px(mark);
  p.opened_at = t0 - seconds(86'400);
  return p;
}

/// A world where `proposal` passes every check.
struct world {
  risk_policy policy = default_risk_policy();
  portfolio_snapshot book;
  market_snapshot market;
  pacing_state pacing;
  trade_proposal proposal;
  ts_ns now = t0;

  world() {
    policy.require_book = false;  // the quotes stand for the books unless a test adds levels
    book.nav = usd(20'000);
    book.taken_at = t0;
    market.upsert(entry_for("BTC-USD", "BTC", 50'000, 50'001, 1));
    market.upsert(entry_for("ETH-USD", "ETH", 3'000, 3'000.5, 20));
    market.upsert(entry_for("SOL-USD", "SOL", 100, 100.01, 1'000));
    market.upsert(entry_for("ADA-USD", "ADA", 1, 1.0001, 100'000));
    proposal.proposal_id = "p-1";
    proposal.strategy = "breakout";
    proposal.product = pid("BTC-USD");
    proposal.dir = side::buy;
    proposal.kind = proposal_kind::open;
    proposal.target = usd(400);
    proposal.ts = t0;
  }

  check_context ctx() const { return make_context(proposal, book, policy, market, pacing, now); }
  evaluation evaluate() const { return risk_engine{policy}.evaluate(proposal, book, market, pacing, now); }
  /// Changes the market entry of `product` with f(market_entry&).
  template <class F>
  void edit(const std::string& product, F f) {
    auto e = *market.find(pid(product));
    f(e);
    market.upsert(std::move(e));
  }
  /// Turns the proposal into a sell that reduces/closes a held BTC position.
  void hold_btc(double q = 0.01, double entry = 40'000) {
    book.positions.push_back(position("BTC-USD", q, entry, 50'000));
  }
};

/// The ids of a verdict's rejections, in order.
inline std::vector<std::string> ids(const risk_verdict& v) {
  std::vector<std::string> out;
  for (const auto& r : v.rejections)
    out.push_back(r.check);
  return out;
}

} // namespace risk_test
