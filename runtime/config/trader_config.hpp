#pragma once
// The whole parsed configuration: every section of the five files, typed, with defaults.
// A default-constructed trader_config equals what the shipped config/ directory loads to.

#include "runtime/config/app_config.hpp"
#include "runtime/config/market_config.hpp"
#include "runtime/config/policy_config.hpp"

#include <map>
#include <string>

namespace trader::config {

/// Every setting of the daemon. Plain data: copy it, compare its hash, hand sections to actors.
struct trader_config {
  // -- app.toml -------------------------------------------------------------
  app_section app;           ///< [app]
  live_section live;         ///< [live]
  runtime_section runtime;   ///< [runtime]
  exchange_section exchange; ///< [exchange]
  exchange_limits_section exchange_limits; ///< [exchange.limits]
  market_data_section market_data; ///< [market_data]
  metrics_section metrics;   ///< [metrics]
  control_section control;   ///< [control]
  alerts_section alerts;     ///< [alerts] and [alerts.SINK]
  // -- policy.toml ----------------------------------------------------------
  risk_section risk;                         ///< [risk]
  pyramiding_section pyramiding;             ///< [risk.pyramiding]
  execution_section execution;               ///< [execution]
  microstructure_section microstructure;     ///< [microstructure]
  circuit_breakers_section circuit_breakers; ///< [circuit_breakers]
  latency_section latency;                   ///< [latency]
  loop_section loop;                         ///< [loop]
  // -- signals.toml ---------------------------------------------------------
  triggers_section triggers;         ///< [triggers]
  breakout_trigger breakout;         ///< [triggers.breakout]
  momentum_trigger momentum;         ///< [triggers.momentum]
  volume_spike_trigger volume_spike; ///< [triggers.volume_spike]
  bad_tick_section bad_tick;         ///< [bad_tick]
  rsi_reversion_trigger rsi_reversion; ///< [triggers.rsi_reversion]
  atr_breakout_trigger atr_breakout;   ///< [triggers.atr_breakout]
  trend_filter_section trend_filter;   ///< [triggers.trend_filter]
  volatility_filter_section volatility_filter; ///< [triggers.volatility_filter]
  candles_section candles;             ///< [candles]
  regime_section regime;               ///< [regime]
  // -- universe.toml --------------------------------------------------------
  universe_section universe;                              ///< [universe]
  tiers_section tiers;                                    ///< [tiers]
  eligibility_section eligibility;                        ///< [eligibility]
  std::map<std::string, theme> themes = default_themes(); ///< [themes.NAME]
  red_flags_section red_flags;                            ///< [red_flags]
  correlation_section correlation;                        ///< [correlation]
  // -- strategies.toml ------------------------------------------------------
  std::map<std::string, strategy> strategies = default_strategies(); ///< [strategies.NAME]
  ensemble_section ensemble;                                         ///< [ensemble]
  drift_section drift;                                               ///< [drift]
};

} // namespace trader::config
