// Exposure caps with pending exposure counted: each allows the order up to the room left
// under its cap (resize), and refuses it when that room is below the smallest worthwhile
// order. Per-strategy budgets run before the global caps.
#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/checks/checks.hpp"
#include "actors/trading/risk/fixed_math.hpp"

#include <algorithm>

namespace trader::risk {

namespace {

// `used` is what the cap already carries, `limit` the cap itself; `what` names the subject.
check_result cap_check(const check_context& c, std::string_view id, const std::string& what, notional used,
                       notional limit, double limit_pct) {
  const notional room = std::max(limit - used, notional{});
  if (c.desired <= room)
    return check_result::ok();
  auto detail = fmt("%s at_risk_pct=%.2f limit_pct=%.2f wanted=%s room=%s", what.c_str(),
                    pct_value(used + c.desired, c.book.nav), limit_pct, to_string(c.desired).c_str(),
                    to_string(room).c_str());
  if (room < min_position_notional(c))
    return check_result::reject(id, std::move(detail));
  return check_result::resize(id, room, std::move(detail));
}

check_result count_check(std::string_view id, const std::string& what, std::int64_t n, std::int64_t limit) {
  if (n < limit)
    return check_result::ok();
  return check_result::reject(id, fmt("%s open=%lld limit=%lld", what.c_str(), static_cast<long long>(n),
                                      static_cast<long long>(limit)));
}

} // namespace

notional min_position_notional(const check_context& c) {
  const notional min_order = notional::from_double(c.policy.min_order_usd);
  if (c.is_add)
    return min_order;
  return std::max(min_order, pct_of(c.book.nav, c.policy.min_position_pct));
}

check_result check_strategy_budget(const check_context& c) {
  auto it = c.policy.strategies.find(c.proposal.strategy);
  if (it == c.policy.strategies.end())
    return check_result::ok();  // UNKNOWN_STRATEGY says it
  const double pct = it->second.risk_budget_pct;
  return cap_check(c, check_id::strategy_budget, "strategy=" + c.proposal.strategy, c.exposure.strategy,
                   pct_of(c.book.nav, pct), pct);
}

check_result check_strategy_max_positions(const check_context& c) {
  auto it = c.policy.strategies.find(c.proposal.strategy);
  if (c.is_add || it == c.policy.strategies.end())
    return check_result::ok();
  return count_check(check_id::strategy_max_positions, "strategy=" + c.proposal.strategy,
                     c.exposure.strategy_positions, it->second.max_positions);
}

check_result check_position_size(const check_context& c) {
  if (c.is_add)
    return check_result::ok();  // adds: PYRAMIDING's add_size_pct and PER_ASSET_CAP bound them
  const double pct = c.policy.max_position_pct;
  return cap_check(c, check_id::position_size_cap, "product=" + c.proposal.product.value, notional{},
                   pct_of(c.book.nav, pct), pct);
}

check_result check_per_asset_cap(const check_context& c) {
  return cap_check(c, check_id::per_asset_cap, "asset=" + std::string(base_of(c.proposal.product)), c.exposure.asset,
                   pct_of(c.book.nav, c.policy.per_asset_cap_pct), c.policy.per_asset_cap_pct);
}

check_result check_per_theme_cap(const check_context& c) {
  check_result tightest = check_result::ok();
  for (const auto& [theme, used] : c.exposure.themes) {
    auto r = cap_check(c, check_id::per_theme_cap, "theme=" + theme->name, used, pct_of(c.book.nav, theme->max_pct),
                       theme->max_pct);
    if (r.outcome == check_outcome::reject)
      return r;
    if (r.outcome == check_outcome::resize && (tightest.outcome == check_outcome::approve || r.cap < tightest.cap))
      tightest = std::move(r);
  }
  return tightest;
}

check_result check_total_at_risk(const check_context& c) {
  return cap_check(c, check_id::total_at_risk_cap, "portfolio", c.exposure.total,
                   pct_of(c.book.nav, c.policy.max_total_at_risk_pct), c.policy.max_total_at_risk_pct);
}

check_result check_max_open_positions(const check_context& c) {
  if (c.is_add)
    return check_result::ok();
  return count_check(check_id::max_open_positions, "portfolio", c.exposure.open_positions,
                     c.policy.max_open_positions);
}

check_result check_max_order_size(const check_context& c) {
  const notional cap = notional::from_double(c.policy.max_order_usd);
  if (c.desired <= cap)
    return check_result::ok();
  return check_result::resize(check_id::max_order_size, cap,
                              "wanted=" + to_string(c.desired) + " limit=" + to_string(cap));
}

std::span<const check_def> all_checks() {
  namespace id = check_id;
  // {id, fn, for_exits, input}
  static const check_def table[] = {
    {id::unknown_product, check_unknown_product, true, true},
    {id::product_delisted, check_product_delisted, true, true},
    {id::invalid_size, check_invalid_size, true, true},
    {id::invalid_price, check_invalid_price, true, true},
    {id::unknown_strategy, check_unknown_strategy, true, true},
    {id::strategy_disabled, check_strategy_disabled, false, true},
    {id::stale_portfolio, check_stale_portfolio, true, true},
    {id::invalid_nav, check_invalid_nav, false, true},
    {id::exchange_status, check_exchange_status, true, false},
    {id::stale_quote, check_stale_quote, true, false},
    {id::invalid_quote, check_invalid_quote, true, false},
    {id::spread_too_wide, check_spread, false, false},
    {id::insufficient_depth, check_depth, false, false},
    {id::price_impact, check_price_impact, false, false},
    {id::no_shorts, check_no_shorts, true, false},
    {id::pyramiding, check_pyramiding, false, false},
    {id::regime_blocked, check_regime, false, false},
    {id::exit_atr_unknown, check_exit_atr, false, false},
    {id::trades_per_day, check_trades_per_day, false, false},
    {id::trades_per_hour, check_trades_per_hour, false, false},
    {id::new_positions_per_hour, check_new_positions_per_hour, false, false},
    {id::min_trade_spacing, check_min_trade_spacing, false, false},
    {id::symbol_cooldown, check_symbol_cooldown, false, false},
    {id::stop_out_cooldown, check_stop_out_cooldown, false, false},
    {id::strategy_budget, check_strategy_budget, false, false},
    {id::strategy_max_positions, check_strategy_max_positions, false, false},
    {id::position_size_cap, check_position_size, false, false},
    {id::per_asset_cap, check_per_asset_cap, false, false},
    {id::per_theme_cap, check_per_theme_cap, false, false},
    {id::total_at_risk_cap, check_total_at_risk, false, false},
    {id::max_open_positions, check_max_open_positions, false, false},
    {id::max_order_size, check_max_order_size, false, false},
  };
  return table;
}

} // namespace trader::risk
