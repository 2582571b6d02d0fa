#include "tools/backtest/pipeline/settings.hpp"

#include <algorithm>

namespace trader::backtest {

namespace {

risk::entry_order entry_of(config::order_type t) {
  switch (t) {
    case config::order_type::limit_post_only: return risk::entry_order::limit_post_only;
    case config::order_type::limit: return risk::entry_order::limit;
    case config::order_type::market: return risk::entry_order::market;
  }
  return risk::entry_order::limit_post_only;
}

std::string base_of(const std::string& product) { return product.substr(0, product.find('-')); }

} // namespace

pipeline_settings settings_from(const config::trader_config& c) {
  pipeline_settings s;
  auto& p = s.policy;
  p = risk::default_risk_policy();
  const auto& r = c.risk;
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
  const auto& py = c.pyramiding;
  p.pyramiding = {py.enabled, py.max_adds_per_day, py.max_adds_per_position, py.add_cooldown_s, py.add_size_pct,
                  py.max_pyramid_positions};
  const auto& e = c.execution;
  p.default_order_type = entry_of(e.default_order_type);
  p.maker_fee_bps = e.maker_fee_bps;
  p.taker_fee_bps = e.taker_fee_bps;
  p.max_slippage_bps = e.max_slippage_bps;
  p.min_order_usd = e.min_order_usd;
  p.max_order_usd = e.max_order_usd;
  p.limit_order_ttl_s = e.limit_order_ttl_s;
  p.max_spread_bps = c.microstructure.max_spread_bps;
  p.min_top_of_book_usd = c.microstructure.min_top_of_book_usd;
  p.max_price_impact_bps = c.microstructure.max_price_impact_bps;
  p.max_clock_skew_ms = c.circuit_breakers.max_clock_skew_ms;
  p.strategies.clear();
  for (const auto& [name, st] : c.strategies) {
    p.strategies[name] = risk::strategy_limits{st.enabled, st.risk_budget_pct, st.max_positions};
    if (st.enabled)
      s.strategies.push_back({name, st.trigger});
  }
  p.themes.clear();
  for (const auto& [name, th] : c.themes) {
    risk::theme_limits t{name, {}, th.max_pct};
    for (const auto& sym : th.symbols)
      t.assets.push_back(base_of(sym));
    p.themes.push_back(std::move(t));
  }

  auto& t = s.triggers;
  t.granularity = c.triggers.granularity;
  t.max_triggers_per_cycle = c.triggers.max_triggers_per_cycle;
  t.breakout = {c.breakout.enabled, c.breakout.lookback_candles, c.breakout.threshold_pct, c.breakout.min_volume_ratio};
  t.momentum = {c.momentum.enabled, c.momentum.lookback_candles, c.momentum.threshold_pct};
  t.volume_spike = {c.volume_spike.enabled, c.volume_spike.lookback_candles, c.volume_spike.min_ratio};
  s.bad_tick.max_jump_pct = c.bad_tick.max_jump_pct;
  s.bad_tick.confirm_ticks = c.bad_tick.confirm_ticks;

  for (const auto& list : {c.tiers.core, c.tiers.rotational})
    for (const auto& sym : list)
      if (std::find(c.red_flags.excluded_symbols.begin(), c.red_flags.excluded_symbols.end(), sym)
            == c.red_flags.excluded_symbols.end()
          && std::find(s.universe.begin(), s.universe.end(), sym) == s.universe.end())
        s.universe.push_back(sym);
  if (!c.tiers.core.empty())
    s.regime_product = c.tiers.core.front();
  s.cycle_interval_s = c.loop.interval_s;
  s.cycle_jitter_pct = c.loop.jitter_pct;
  return s;
}

} // namespace trader::backtest
