#include "actors/trading/signals/signal_params_from_config.hpp"

#include "actors/exchange/coinbase/symbols.hpp"
#include "runtime/config/trader_config.hpp"

namespace trader::signals {

engine_params engine_params_from_config(const config::trader_config& c) {
  engine_params e;
  auto& t = e.triggers;
  t.granularity = c.triggers.granularity;
  t.max_triggers_per_cycle = c.triggers.max_triggers_per_cycle;
  t.breakout = {c.breakout.enabled, c.breakout.lookback_candles, c.breakout.threshold_pct, c.breakout.min_volume_ratio};
  t.momentum = {c.momentum.enabled, c.momentum.lookback_candles, c.momentum.threshold_pct};
  t.volume_spike = {c.volume_spike.enabled, c.volume_spike.lookback_candles, c.volume_spike.min_ratio};
  t.rsi_reversion = {c.rsi_reversion.enabled, c.rsi_reversion.period, c.rsi_reversion.oversold};
  t.atr_breakout = {c.atr_breakout.enabled, c.atr_breakout.period, c.atr_breakout.atr_multiple};
  t.trend_filter = {c.trend_filter.enabled, c.trend_filter.granularity, c.trend_filter.fast_period,
                    c.trend_filter.slow_period};
  e.volatility = {c.volatility_filter.enabled, static_cast<std::size_t>(c.volatility_filter.window),
                  c.volatility_filter.percentile};
  e.closes_kept = static_cast<std::size_t>(c.correlation.lookback) + 1;
  e.bad_tick.max_jump_pct = c.bad_tick.max_jump_pct;
  e.bad_tick.confirm_ticks = c.bad_tick.confirm_ticks;
  e.bad_tick.confirm_volume_ratio = c.bad_tick.confirm_volume_ratio;
  e.bad_tick.reanchor_after_holds = c.bad_tick.reanchor_after_holds;
  e.freshness.max_stale_intervals = c.candles.max_stale_intervals;
  e.freshness.block_on_gap = c.candles.block_on_gap;
  e.capacity = static_cast<std::size_t>(c.candles.capacity);
  auto& r = e.regime;
  r.trend_lookback = c.regime.trend_lookback;
  r.bull_trend_pct = c.regime.bull_trend_pct;
  r.bear_trend_pct = c.regime.bear_trend_pct;
  r.band_pct = c.regime.band_pct;
  r.crash_lookback = c.regime.crash_lookback;
  r.crash_drop_pct = c.regime.crash_drop_pct;
  r.confirm_evaluations = c.regime.confirm_evaluations;
  e.multipliers = {c.regime.bull_multiplier, c.regime.chop_multiplier, c.regime.bear_multiplier, 0.0};
  if (auto p = exchange::canonical_product(c.regime.reference_product))
    e.regime_product = p->value;
  return e;
}

std::vector<strategy_params> strategy_params_from_config(const config::trader_config& c) {
  std::vector<strategy_params> out;
  for (const auto& [name, s] : c.strategies) {
    strategy_params p;
    p.name = name;
    p.kind = s.kind;
    p.enabled = s.enabled;
    p.risk_budget_pct = s.risk_budget_pct;
    p.max_positions = s.max_positions;
    p.max_trades_per_cycle = s.max_trades_per_cycle;
    p.trigger = s.trigger;
    p.min_confidence = s.min_confidence;
    p.notional_usd = s.notional_usd;
    p.stop_loss_pct = s.stop_loss_pct;
    p.take_profit_pct = s.take_profit_pct;
    p.stop_loss_atr = s.stop_loss_atr;
    p.take_profit_atr = s.take_profit_atr;
    p.rsi_oversold = s.rsi_oversold;
    out.push_back(std::move(p));
  }
  return out;
}

ensemble_params ensemble_params_from_config(const config::trader_config& c) {
  return {c.ensemble.enabled, c.ensemble.min_agreeing, c.ensemble.min_confidence_pct / 100.0,
          c.ensemble.entry_zone_pct};
}

correlation_params correlation_params_from_config(const config::trader_config& c) {
  return {c.correlation.enabled, static_cast<std::size_t>(c.correlation.lookback), c.correlation.max_correlation};
}

} // namespace trader::signals
