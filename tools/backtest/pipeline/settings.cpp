#include "tools/backtest/pipeline/settings.hpp"

#include "actors/trading/risk/policy_from_config.hpp"

#include <algorithm>

namespace trader::backtest {

pipeline_settings settings_from(const config::trader_config& c) {
  pipeline_settings s;
  // The policy exactly as traderd's risk reads it (one mapping: risk::policy_from_config).
  s.policy = risk::policy_from_config(c);
  for (const auto& [name, st] : c.strategies)
    if (st.enabled)
      s.strategies.push_back({name, st.trigger});

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
