#pragma once
// The loaded configuration as the pure cores take it: risk_policy from policy.toml,
// strategies.toml and universe.toml; triggers_params and bad_tick_params from signals.toml;
// the decision loop from [loop]; the universe from [tiers] minus [red_flags]. The actors
// will read the same sections the same way; until their wiring lands this is the one
// place the mapping lives (docs/backtest.md "Pipeline"). No CAF.

#include "actors/trading/risk/risk_policy.hpp"
#include "actors/trading/signals/bad_tick_guard.hpp"
#include "actors/trading/signals/regime_detector.hpp"
#include "actors/trading/signals/triggers.hpp"
#include "runtime/config/trader_config.hpp"

#include <string>
#include <vector>

namespace trader::backtest {

/// One strategy: consumes the signals of one trigger and proposes entries.
struct strategy_spec {
  std::string name;     ///< "breakout".
  std::string trigger;  ///< Trigger id it consumes ("breakout").
};

/// Everything the pipeline's cores are built from.
struct pipeline_settings {
  risk::risk_policy policy;
  signals::triggers_params triggers;
  signals::bad_tick_params bad_tick;
  signals::regime_params regime;
  signals::regime_multipliers multipliers;
  std::vector<strategy_spec> strategies;  ///< Enabled ones, by name.
  std::vector<std::string> universe;      ///< Tradable product ids (core then rotational, red flags removed).
  double cycle_interval_s = 60.0;         ///< [loop] interval_s.
  double cycle_jitter_pct = 10.0;         ///< [loop] jitter_pct.
  std::string regime_product = "BTC-USD"; ///< Reference series of the regime detector (first core product).
};

/// The settings of a loaded configuration.
pipeline_settings settings_from(const config::trader_config& c);

} // namespace trader::backtest
