#pragma once
// The sections of signals.toml (triggers, bad-tick guard), universe.toml (refresh, tiers,
// eligibility, themes, red flags) and strategies.toml (one table per strategy).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trader::config {

/// [triggers]: candle source and per-cycle limits shared by every trigger.
struct triggers_section {
  std::string granularity = "FIVE_MINUTE"; ///< ONE_MINUTE | FIVE_MINUTE | FIFTEEN_MINUTE | ONE_HOUR.
  std::int64_t max_triggers_per_cycle = 5; ///< Strongest N triggers passed to strategies; 1..100.
};

/// [triggers.breakout]: close above the highest high of the lookback.
struct breakout_trigger {
  bool enabled = true;                ///< Evaluate this trigger.
  std::int64_t lookback_candles = 20; ///< Candles in the range; 2..1000.
  double threshold_pct = 2.0;         ///< Close must clear the high by this, %; 0 < x <= 100.
  double min_volume_ratio = 1.5;      ///< Candle volume vs lookback mean; 0..100.
};

/// [triggers.momentum]: return over the lookback above a threshold.
struct momentum_trigger {
  bool enabled = true;                ///< Evaluate this trigger.
  std::int64_t lookback_candles = 12; ///< Candles in the return; 2..1000.
  double threshold_pct = 1.5;         ///< Minimum return, %; 0 < x <= 100.
};

/// [triggers.volume_spike]: volume far above its recent mean.
struct volume_spike_trigger {
  bool enabled = false;               ///< Evaluate this trigger.
  std::int64_t lookback_candles = 24; ///< Candles in the mean; 2..1000.
  double min_ratio = 3.0;             ///< Candle volume vs mean; 1..1000.
};

/// [bad_tick]: prices that jump implausibly are held until confirmed.
struct bad_tick_section {
  double max_jump_pct = 15.0;     ///< A tick this far from the last accepted one is suspect, %; 0 < x <= 100.
  std::int64_t confirm_ticks = 2; ///< Consecutive agreeing ticks that confirm a suspect price; 1..100.
};

/// [universe]: the tradable set and how often it is rebuilt.
struct universe_section {
  std::string quote_currency = "USD";     ///< Only products quoted in this currency.
  std::int64_t refresh_interval_s = 3600; ///< Universe rebuild period, s; 60..604800.
  std::int64_t max_symbols = 20;          ///< Largest universe; 1..500.
};

/// [tiers]: symbols by tier. Core are always candidates; rotational must pass eligibility.
struct tiers_section {
  std::vector<std::string> core = {"BTC-USD", "ETH-USD"}; ///< BASE-QUOTE product ids.
  std::vector<std::string> rotational = {"SOL-USD", "AVAX-USD", "LINK-USD", "DOGE-USD"}; ///< Product ids.
};

/// [eligibility]: filters a rotational symbol must pass.
struct eligibility_section {
  double min_24h_volume_usd = 5'000'000.0; ///< Exchange 24 h volume, USD; 0..1e13.
  std::int64_t min_listing_age_days = 30;  ///< Days since listing; 0..36500.
  bool require_status_online = true;       ///< Product status must be "online".
};

/// [themes.NAME]: a group of correlated symbols with a combined cap.
struct theme {
  std::vector<std::string> symbols; ///< Product ids in the theme.
  double max_pct = 10.0;            ///< Combined exposure, % of NAV; 0 < x <= 100.
};

/// [red_flags]: symbols never traded, whatever the tiers say.
struct red_flags_section {
  std::vector<std::string> excluded_symbols; ///< Product ids.
};

/// [strategies.NAME]: one strategy's switch and budget.
struct strategy {
  bool enabled = false;             ///< Run this strategy.
  double risk_budget_pct = 10.0;    ///< Its share of NAV at risk, %; 0 <= x <= 100.
  std::int64_t max_positions = 3;   ///< Its open positions at once; 0..100.
  std::string trigger = "breakout"; ///< breakout | momentum | volume_spike: the trigger it consumes.
};

/// Default themes (see config/universe.toml).
std::map<std::string, theme> default_themes();
/// Default strategies (see config/strategies.toml).
std::map<std::string, strategy> default_strategies();

} // namespace trader::config
