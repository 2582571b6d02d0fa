#include "tools/backtest/pipeline/settings.hpp"

#include "actors/trading/risk/policy_from_config.hpp"
#include "actors/trading/signals/signal_params_from_config.hpp"

#include <algorithm>

namespace trader::backtest {

pipeline_settings settings_from(const config::trader_config& c) {
  pipeline_settings s;
  // Exactly as traderd's risk, triggers and strategies actors read them (one mapping each).
  s.policy = risk::policy_from_config(c);
  s.engine = signals::engine_params_from_config(c);
  s.strategies = signals::strategy_params_from_config(c);
  s.ensemble = signals::ensemble_params_from_config(c);
  s.correlation = signals::correlation_params_from_config(c);

  for (const auto& list : {c.tiers.core, c.tiers.rotational})
    for (const auto& sym : list)
      if (std::find(c.red_flags.excluded_symbols.begin(), c.red_flags.excluded_symbols.end(), sym)
            == c.red_flags.excluded_symbols.end()
          && std::find(s.universe.begin(), s.universe.end(), sym) == s.universe.end())
        s.universe.push_back(sym);
  s.cycle_interval_s = c.loop.interval_s;
  s.cycle_jitter_pct = c.loop.jitter_pct;
  return s;
}

} // namespace trader::backtest
