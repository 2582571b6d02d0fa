#include "actors/trading/risk/policy_from_config.hpp"

#include "runtime/config/trader_config.hpp"

namespace trader::risk {

namespace {

entry_order entry_of(config::order_type t) {
  switch (t) {
    case config::order_type::limit_post_only: return entry_order::limit_post_only;
    case config::order_type::limit: return entry_order::limit;
    case config::order_type::market: return entry_order::market;
  }
  return entry_order::limit_post_only;
}

std::string base_of_symbol(const std::string& s) { return s.substr(0, s.find('-')); }

} // namespace

risk_policy policy_from_config(const config::trader_config& cfg) {
  risk_policy p;
  const auto& r = cfg.risk;
  p.max_total_at_risk_pct = r.max_total_at_risk_pct;
  p.max_open_positions = r.max_open_positions;
  p.max_position_pct = r.max_position_pct;
  p.min_position_pct = r.min_position_pct;
  p.per_asset_cap_pct = r.per_asset_cap_pct;
  p.stop_loss_pct = r.stop_loss_pct;
  p.take_profit_pct = r.take_profit_pct;
  p.daily_stop_pct = r.daily_stop_pct;
  p.weekly_stop_pct = r.weekly_stop_pct;
  p.max_drawdown_pct = r.max_drawdown_pct;
  p.max_trades_per_day = r.max_trades_per_day;
  p.max_trades_per_hour = r.max_trades_per_hour;
  p.max_new_positions_per_hour = r.max_new_positions_per_hour;
  p.min_seconds_between_trades = r.min_seconds_between_trades;
  p.per_symbol_cooldown_s = r.per_symbol_cooldown_s;
  p.max_quote_age_s = r.max_quote_age_s;
  p.stop_out_cooldown_s = r.stop_out_cooldown_s;
  p.max_portfolio_age_s = r.max_portfolio_age_s;
  p.stop_loss_atr = r.stop_loss_atr;
  p.take_profit_atr = r.take_profit_atr;
  p.cash_flow_min_pct = r.cash_flow_min_pct;

  const auto& y = cfg.pyramiding;
  p.pyramiding = pyramiding_limits{y.enabled,        y.max_adds_per_day, y.max_adds_per_position,
                                   y.add_cooldown_s, y.add_size_pct,     y.max_pyramid_positions,
                                   y.min_add_distance_pct};

  const auto& e = cfg.execution;
  p.default_order_type = entry_of(e.default_order_type);
  p.maker_fee_bps = e.maker_fee_bps;
  p.taker_fee_bps = e.taker_fee_bps;
  p.max_slippage_bps = e.max_slippage_bps;
  p.min_order_usd = e.min_order_usd;
  p.max_order_usd = e.max_order_usd;
  p.limit_order_ttl_s = e.limit_order_ttl_s;

  const auto& m = cfg.microstructure;
  p.max_spread_bps = m.max_spread_bps;
  p.min_top_of_book_usd = m.min_top_of_book_usd;
  p.max_price_impact_bps = m.max_price_impact_bps;
  p.depth_window_bps = m.depth_window_bps;
  p.min_depth_multiple = m.min_depth_multiple;
  p.require_book = m.require_book;

  p.max_clock_skew_ms = cfg.circuit_breakers.max_clock_skew_ms;

  const auto& g = cfg.regime;
  p.regime_multipliers = {{"bull", g.bull_multiplier}, {"chop", g.chop_multiplier}, {"bear", g.bear_multiplier},
                          {"crash", 0.0}};

  p.strategies.clear();
  for (const auto& [name, s] : cfg.strategies)
    p.strategies[name] = strategy_limits{s.enabled, s.risk_budget_pct, s.max_positions};
  p.themes.clear();
  for (const auto& [name, t] : cfg.themes) {
    theme_limits tl{name, {}, t.max_pct};
    for (const auto& sym : t.symbols)
      tl.assets.push_back(base_of_symbol(sym));
    p.themes.push_back(std::move(tl));
  }
  return p;
}

} // namespace trader::risk
