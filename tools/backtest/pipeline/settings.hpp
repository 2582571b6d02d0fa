#pragma once
// The loaded configuration as the pure cores take it, read through the same mappings traderd
// uses: risk::policy_from_config (policy.toml, strategies.toml, universe.toml themes) and
// signals::*_from_config (signals.toml → engine_params; strategies.toml → strategy_params
// and ensemble_params; universe.toml [correlation]). Only what has no actor counterpart is
// mapped here: the decision loop from [loop] and the universe from [tiers] minus
// [red_flags] (docs/backtest.md "Pipeline"). No CAF.

#include "actors/trading/risk/risk_policy.hpp"
#include "actors/trading/signals/signal_engine.hpp"
#include "actors/trading/signals/strategy.hpp"
#include "runtime/config/trader_config.hpp"

#include <string>
#include <vector>

namespace trader::backtest {

/// Everything the pipeline's cores are built from.
struct pipeline_settings {
  risk::risk_policy policy;
  signals::engine_params engine;                  ///< As traderd's triggers actor gets it.
  std::vector<signals::strategy_params> strategies;  ///< As traderd's strategies actor gets them (all, by name).
  signals::ensemble_params ensemble;
  signals::correlation_params correlation;
  std::vector<std::string> universe;      ///< Tradable product ids (core then rotational, red flags removed).
  double cycle_interval_s = 60.0;         ///< [loop] interval_s.
  double cycle_jitter_pct = 10.0;         ///< [loop] jitter_pct.
};

/// The settings of a loaded configuration.
pipeline_settings settings_from(const config::trader_config& c);

} // namespace trader::backtest
