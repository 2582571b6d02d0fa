// The signal side of the trading subtree: universe → triggers → strategies, in front of risk
// (rest_for_one: a universe restart restarts everything after it). Each factory reads the
// configuration current at (re)start.

#include "tools/traderd/actor_factories.hpp"

#include "actors/exchange/coinbase/symbols.hpp"
#include "actors/trading/strategies/strategies_actor.hpp"
#include "actors/trading/triggers/triggers_actor.hpp"
#include "actors/trading/universe/universe_actor.hpp"
#include "runtime/config/event_calendar.hpp"
#include "runtime/core/names.hpp"
#include "tools/traderd/universe_products.hpp"

#include <caf/actor.hpp>

#include <cmath>
#include <limits>
#include <variant>

#include <spdlog/spdlog.h>

namespace trader::daemon {

namespace {

std::vector<std::string> canonical(const std::vector<std::string>& symbols) {
  std::vector<std::string> out;
  for (const auto& s : symbols)
    if (auto p = exchange::canonical_product(s))
      out.push_back(p->value);
  return out;
}

signals::universe_rules universe_rules_of(const config::trader_config& c) {
  signals::universe_rules r;
  r.quote_currency = c.universe.quote_currency;
  r.max_symbols = c.universe.max_symbols;
  r.core = canonical(c.tiers.core);
  r.rotational = canonical(c.tiers.rotational);
  r.min_24h_volume_usd = c.eligibility.min_24h_volume_usd;
  r.require_status_online = c.eligibility.require_status_online;
  r.max_spread_bps = c.eligibility.max_spread_bps;
  r.red_flags = canonical(c.red_flags.excluded_symbols);
  r.liquidity_start_hour = c.universe.liquidity_start_hour;
  r.liquidity_end_hour = c.universe.liquidity_end_hour;
  if (!c.universe.event_calendar_file.empty()) {
    auto cal = config::load_event_calendar(c.universe.event_calendar_file);
    if (auto* err = std::get_if<std::string>(&cal)) {
      // Validated at load; unreadable now (edited or removed since): embargo everything
      // rather than trade through events nobody can see.
      spdlog::error("universe: event calendar unusable ({}); no new entries until it is fixed", *err);
      r.embargoes.push_back({0, std::numeric_limits<ts_ns>::max(), "event calendar unusable: " + *err});
    } else {
      for (const auto& w : std::get<std::vector<config::event_window>>(cal))
        r.embargoes.push_back({w.from_ns, w.to_ns, w.reason});
    }
  }
  return r;
}

} // namespace

signals::engine_params engine_params_of(const config::trader_config& c) {
  signals::engine_params e;
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

std::vector<signals::strategy_params> strategy_params_of(const config::trader_config& c) {
  std::vector<signals::strategy_params> out;
  for (const auto& [name, s] : c.strategies) {
    signals::strategy_params p;
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

void add_signal_factories(core::actor_factories& f, const daemon_context& ctx) {
  f[names::universe] = {[ctx](caf::actor_system& sys) {
    auto snap = ctx.config->get();
    const auto& c = snap->config;
    universe::options o;
    o.rules = universe_rules_of(c);
    o.refresh = std::chrono::seconds{c.universe.refresh_interval_s};
    o.metrics = ctx.metrics;
    return universe::spawn_universe(sys, *ctx.reg, std::move(o));
  }};
  f[names::triggers] = {[ctx](caf::actor_system& sys) {
    auto snap = ctx.config->get();
    const auto& c = snap->config;
    triggers::options o;
    o.engine = engine_params_of(c);
    o.products = streamed_products(c);
    o.backfill_bars = static_cast<std::int32_t>(c.candles.backfill_bars);
    o.backfill_retry = std::chrono::seconds{c.candles.backfill_retry_s};
    o.metrics = ctx.metrics;
    return triggers::spawn_triggers(sys, *ctx.reg, std::move(o));
  }};
  f[names::strategies] = {[ctx](caf::actor_system& sys) {
    auto snap = ctx.config->get();
    const auto& c = snap->config;
    strategies::options o;
    o.strategies = strategy_params_of(c);
    o.ensemble = {c.ensemble.enabled, c.ensemble.min_agreeing, c.ensemble.min_confidence_pct / 100.0,
                  c.ensemble.entry_zone_pct};
    o.correlation = {c.correlation.enabled, static_cast<std::size_t>(c.correlation.lookback),
                     c.correlation.max_correlation};
    o.cycle_budget = std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(c.loop.cycle_budget_s * 1000))};
    o.metrics = ctx.metrics;
    return strategies::spawn_strategies(sys, *ctx.reg, std::move(o));
  }};
}

} // namespace trader::daemon
