// Bad-input checks: each refuses a proposal that cannot be judged, with its own id.
#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/checks/checks.hpp"
#include "actors/trading/risk/fixed_math.hpp"

namespace trader::risk {

namespace {

// A target beyond 1e9 in quote currency is a unit or encoding error, not a trade.
constexpr notional absurd_target = notional::from_int(1'000'000'000);

} // namespace

check_result check_unknown_product(const check_context& c) {
  if (c.entry)
    return check_result::ok();
  return check_result::reject(check_id::unknown_product, "product=" + c.proposal.product.value);
}

check_result check_product_delisted(const check_context& c) {
  if (!c.entry || !c.entry->status || *c.entry->status != product_state::delisted)
    return check_result::ok();
  return check_result::reject(check_id::product_delisted, "product=" + c.proposal.product.value);
}

check_result check_invalid_size(const check_context& c) {
  const auto t = c.proposal.target;
  if (t.units > 0 && t <= absurd_target)
    return check_result::ok();
  return check_result::reject(check_id::invalid_size, "target=" + to_string(t) + (t.units > 0 ? " above 1e9" : ""));
}

check_result check_invalid_price(const check_context& c) {
  if (!c.proposal.limit_px.is_negative())
    return check_result::ok();
  return check_result::reject(check_id::invalid_price, "limit_px=" + to_string(c.proposal.limit_px));
}

check_result check_unknown_strategy(const check_context& c) {
  if (c.policy.strategies.count(c.proposal.strategy) != 0)
    return check_result::ok();
  return check_result::reject(check_id::unknown_strategy, "strategy=" + c.proposal.strategy);
}

check_result check_strategy_disabled(const check_context& c) {
  auto it = c.policy.strategies.find(c.proposal.strategy);
  if (it == c.policy.strategies.end() || it->second.enabled)
    return check_result::ok();
  return check_result::reject(check_id::strategy_disabled, "strategy=" + c.proposal.strategy);
}

check_result check_stale_portfolio(const check_context& c) {
  const double age_s = static_cast<double>(c.now - c.book.taken_at) / static_cast<double>(ns_per_s);
  if (c.book.taken_at != 0 && age_s <= c.policy.max_portfolio_age_s && age_s >= -c.policy.max_portfolio_age_s)
    return check_result::ok();
  if (c.book.taken_at == 0)
    return check_result::reject(check_id::stale_portfolio, "snapshot=none");
  return check_result::reject(check_id::stale_portfolio,
                              fmt("age_s=%.1f limit_s=%.1f", age_s, c.policy.max_portfolio_age_s));
}

check_result check_invalid_nav(const check_context& c) {
  if (c.book.nav.units > 0)
    return check_result::ok();
  return check_result::reject(check_id::invalid_nav, "nav=" + to_string(c.book.nav));
}

} // namespace trader::risk
