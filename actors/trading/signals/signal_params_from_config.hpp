#pragma once
// The signal side's parameters from the loaded configuration: [triggers] and its sub-tables,
// [bad_tick], [candles], [regime] of signals.toml → engine_params; [strategies.*] and
// [ensemble] of strategies.toml → strategy_params and ensemble_params; [correlation] of
// universe.toml → correlation_params. One mapping: traderd's triggers and strategies actors
// and backtest's pipeline all read the configuration through it (as risk reads its policy
// through risk::policy_from_config). No CAF.

#include "actors/trading/signals/signal_engine.hpp"
#include "actors/trading/signals/strategy.hpp"

#include <vector>

namespace trader::config {
struct trader_config;
}

namespace trader::signals {

/// The signal engine's parameters (signals.toml; the correlation lookback sets closes_kept).
engine_params engine_params_from_config(const config::trader_config& c);

/// Every [strategies.NAME], enabled or not, in the configuration's order.
std::vector<strategy_params> strategy_params_from_config(const config::trader_config& c);

/// [ensemble] of strategies.toml (min_confidence_pct as a fraction).
ensemble_params ensemble_params_from_config(const config::trader_config& c);

/// [correlation] of universe.toml.
correlation_params correlation_params_from_config(const config::trader_config& c);

} // namespace trader::signals
