#pragma once
// Deterministic entry triggers over closed bars: breakout with volume confirmation,
// momentum (ROC), volume spike, RSI mean reversion, ATR volatility breakout, and a
// higher-timeframe trend filter. Long-only (no shorts): every trigger looks for an entry
// up. Parameters mirror [triggers.*] of signals.toml. No CAF.

#include "actors/trading/signals/bad_tick_guard.hpp"
#include "actors/trading/signals/bar.hpp"
#include "messages/ids.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trader::signals {

/// [triggers.breakout]: close clears the highest high of the previous lookback_candles.
struct breakout_params {
  bool enabled = true;                 ///< Evaluate this trigger.
  std::int64_t lookback_candles = 20;  ///< Bars in the range (before the newest); 2..1000.
  double threshold_pct = 2.0;          ///< The close must clear the high by this, %; 0 < x <= 100.
  double min_volume_ratio = 1.5;       ///< Newest volume vs the range's mean volume; 0..100.
};
/// [triggers.momentum]: rate of change over lookback_candles.
struct momentum_params {
  bool enabled = true;                 ///< Evaluate this trigger.
  std::int64_t lookback_candles = 12;  ///< Bars in the return; 2..1000.
  double threshold_pct = 1.5;          ///< Minimum ROC, %; 0 < x <= 100.
};
/// [triggers.volume_spike]: the newest volume far above the mean of the previous bars.
struct volume_spike_params {
  bool enabled = false;                ///< Evaluate this trigger.
  std::int64_t lookback_candles = 24;  ///< Bars in the mean (before the newest); 2..1000.
  double min_ratio = 3.0;              ///< Newest volume vs the mean; 1..1000.
};
/// [triggers.rsi_reversion] (not in signals.toml yet): Wilder RSI oversold.
struct rsi_reversion_params {
  bool enabled = false;        ///< Evaluate this trigger.
  std::int64_t period = 14;    ///< RSI period; 2..1000.
  double oversold = 30.0;      ///< Fires at RSI ≤ this; 0 < x < 50.
};
/// [triggers.atr_breakout] (not in signals.toml yet): a close-to-close rise beyond k × ATR.
struct atr_breakout_params {
  bool enabled = false;        ///< Evaluate this trigger.
  std::int64_t period = 14;    ///< ATR period (bars before the newest); 2..1000.
  double atr_multiple = 1.5;   ///< Rise needed, in ATRs; 0 < x <= 20.
};
/// [triggers.trend_filter] (not in signals.toml yet): entries need the higher timeframe up.
struct trend_filter_params {
  bool enabled = false;                    ///< Apply the filter.
  std::string granularity = "ONE_HOUR";    ///< The higher timeframe.
  std::int64_t fast_period = 20;           ///< Fast EMA; 2..1000, < slow_period.
  std::int64_t slow_period = 50;           ///< Slow EMA; 2..1000.
};
/// [triggers] and its sub-tables.
struct triggers_params {
  std::string granularity = "FIVE_MINUTE";  ///< Base timeframe the triggers read.
  std::int64_t max_triggers_per_cycle = 5;  ///< Strongest N signals passed on per cycle; 1..100.
  breakout_params breakout;                 ///< [triggers.breakout]
  momentum_params momentum;                 ///< [triggers.momentum]
  volume_spike_params volume_spike;         ///< [triggers.volume_spike]
  rsi_reversion_params rsi_reversion;       ///< [triggers.rsi_reversion]
  atr_breakout_params atr_breakout;         ///< [triggers.atr_breakout]
  trend_filter_params trend_filter;         ///< [triggers.trend_filter]
};

/// Stable trigger ids (carried into proposals and audit).
enum class trigger_id : std::uint8_t { breakout, momentum, volume_spike, rsi_reversion, atr_breakout };
/// "breakout", "momentum", "volume_spike", "rsi_reversion", "atr_breakout".
std::string_view name(trigger_id id);

/// A trigger that fired on the newest closed bar.
struct trigger_signal {
  trigger_id id = trigger_id::breakout;  ///< Which trigger.
  double strength = 0;    ///< Measured / threshold: 1.0 exactly at the threshold, more is stronger.
  double confidence = 0;  ///< 1 − 0.5/strength: 0.5 at the threshold, toward 1 beyond; in [0.5, 1).
  double value = 0;       ///< The measured quantity (%, ratio, RSI, ATRs).
  double threshold = 0;   ///< Its threshold.
  ts_ns bar_start = 0;    ///< The newest closed bar it fired on.
  std::string detail;     ///< "breakout: close=41000 high20=40000 clear_pct=2.50 volume_ratio=1.80".
};

/// Every trigger's outcome for one product at one bar.
struct trigger_report {
  std::vector<trigger_signal> fired;  ///< Triggers that fired (before the trend filter: see blocked).
  std::vector<std::string> notes;     ///< Why a trigger or the product was not evaluated or was filtered.
  bool blocked = false;               ///< True when nothing may be entered (bad tick, trend filter, no bars).
};

/// Evaluates every enabled trigger on the newest of `bars` (closed bars of the base
/// timeframe, oldest first). `higher` holds closed bars of the trend filter's timeframe
/// (ignored when the filter is off). When `guard` is given and a bar the triggers would
/// read was held, nothing fires (note "bad_tick"). A trigger without enough bars is skipped
/// with a note. When the trend filter is on and the higher timeframe is not up, the
/// signals are kept in `fired` for audit but `blocked` is set.
trigger_report evaluate_triggers(std::span<const bar> bars, std::span<const bar> higher, const triggers_params& p,
                                 const bad_tick_guard* guard = nullptr);

/// Bars the enabled triggers read (the longest lookback + 1).
std::size_t bars_needed(const triggers_params& p);

/// A fired trigger of one product, for ranking across products.
struct product_signal {
  product_id product;     ///< The product.
  trigger_signal signal;  ///< What fired.
};
/// Keeps the `max` strongest, strongest first; ties by product id, then trigger id.
void keep_strongest(std::vector<product_signal>& signals, std::size_t max);

} // namespace trader::signals
