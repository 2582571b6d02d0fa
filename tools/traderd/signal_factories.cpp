// The signal side of the trading subtree: universe → triggers → strategies, in front of risk
// (rest_for_one: a universe restart restarts everything after it). Each factory reads the
// configuration current at (re)start, through the one mapping of
// actors/trading/signals/signal_params_from_config.hpp (backtest reads it the same way).

#include "tools/traderd/actor_factories.hpp"

#include "actors/exchange/coinbase/symbols.hpp"
#include "actors/trading/signals/signal_params_from_config.hpp"
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

/// universe.toml as the rules read it. An unusable event calendar sets *error when asked
/// (a reload is then refused), else embargoes everything (a (re)start must not trade
/// through events nobody can see).
signals::universe_rules universe_rules_of(const config::trader_config& c, std::string* error = nullptr) {
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
  r.min_listing_age_days = c.eligibility.min_listing_age_days;
  if (!c.universe.event_calendar_file.empty()) {
    auto cal = config::load_event_calendar(c.universe.event_calendar_file);
    if (auto* err = std::get_if<std::string>(&cal); err && error) {
      *error = "event calendar unusable: " + *err;
    } else if (err) {
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

universe::red_flag_params red_flag_params_of(const config::trader_config& c) {
  const auto& f = c.red_flags;
  universe::red_flag_params p;
  p.bad_ticks_count = f.bad_ticks_count;
  p.bad_ticks_window_s = f.bad_ticks_window_s;
  p.bad_ticks_ban_hours = f.bad_ticks_ban_hours;
  p.wide_spread_multiple = f.wide_spread_multiple;
  p.wide_spread_cycles = f.wide_spread_cycles;
  p.wide_spread_ban_hours = f.wide_spread_ban_hours;
  p.status_ban_hours = f.status_ban_hours;
  return p;
}

} // namespace

void add_signal_factories(core::actor_factories& f, const daemon_context& ctx) {
  f[names::universe] = {[ctx](caf::actor_system& sys) {
    auto snap = ctx.config->get();
    const auto& c = snap->config;
    universe::options o;
    o.rules = universe_rules_of(c);
    o.refresh = std::chrono::seconds{c.universe.refresh_interval_s};
    o.bans = universe::make_ban_store(ctx.store, ctx.store_error);
    o.quote_guard = signals::engine_params_from_config(c).bad_tick;
    o.red_flags = red_flag_params_of(c);
    o.reload = [cfg = ctx.config] {
      auto snap = cfg->get();
      universe::reloaded r;
      r.rules = universe_rules_of(snap->config, &r.error);
      r.refresh = std::chrono::seconds{snap->config.universe.refresh_interval_s};
      r.quote_guard = signals::engine_params_from_config(snap->config).bad_tick;
      r.red_flags = red_flag_params_of(snap->config);
      return r;
    };
    o.metrics = ctx.metrics;
    return universe::spawn_universe(sys, *ctx.reg, std::move(o));
  }};
  f[names::triggers] = {[ctx](caf::actor_system& sys) {
    auto snap = ctx.config->get();
    const auto& c = snap->config;
    triggers::options o;
    o.engine = signals::engine_params_from_config(c);
    o.products = streamed_products(c);
    o.backfill_bars = static_cast<std::int32_t>(c.candles.backfill_bars);
    o.backfill_retry = std::chrono::seconds{c.candles.backfill_retry_s};
    o.reload = [cfg = ctx.config] {
      auto snap = cfg->get();
      const auto& c = snap->config;
      triggers::reloaded r;
      r.engine = signals::engine_params_from_config(c);
      r.products = streamed_products(c);
      r.backfill_bars = static_cast<std::int32_t>(c.candles.backfill_bars);
      r.backfill_retry = std::chrono::seconds{c.candles.backfill_retry_s};
      return r;
    };
    o.metrics = ctx.metrics;
    return triggers::spawn_triggers(sys, *ctx.reg, std::move(o));
  }};
  f[names::strategies] = {[ctx](caf::actor_system& sys) {
    auto snap = ctx.config->get();
    const auto& c = snap->config;
    strategies::options o;
    o.strategies = signals::strategy_params_from_config(c);
    o.ensemble = signals::ensemble_params_from_config(c);
    o.correlation = signals::correlation_params_from_config(c);
    o.cycle_budget = std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(c.loop.cycle_budget_s * 1000))};
    o.reload = [cfg = ctx.config] {
      auto snap = cfg->get();
      const auto& c = snap->config;
      strategies::reloaded r;
      r.strategies = signals::strategy_params_from_config(c);
      r.ensemble = signals::ensemble_params_from_config(c);
      r.correlation = signals::correlation_params_from_config(c);
      r.cycle_budget = std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(c.loop.cycle_budget_s * 1000))};
      return r;
    };
    o.metrics = ctx.metrics;
    return strategies::spawn_strategies(sys, *ctx.reg, std::move(o));
  }};
}

} // namespace trader::daemon
