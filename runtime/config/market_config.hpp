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

/// [triggers.rsi_reversion]: Wilder RSI oversold (mean reversion).
struct rsi_reversion_trigger {
  bool enabled = false;        ///< Evaluate this trigger.
  std::int64_t period = 14;    ///< RSI period; 2..1000.
  double oversold = 30.0;      ///< Fires at RSI <= this; 1..49.
};

/// [triggers.atr_breakout]: a close-to-close rise beyond k ATRs.
struct atr_breakout_trigger {
  bool enabled = false;        ///< Evaluate this trigger.
  std::int64_t period = 14;    ///< ATR period; 2..1000.
  double atr_multiple = 1.5;   ///< Rise needed, in ATRs; 0.1..20.
};

/// [triggers.trend_filter]: entries need the higher timeframe's fast EMA above its slow EMA.
struct trend_filter_section {
  bool enabled = false;                 ///< Apply the filter.
  std::string granularity = "ONE_HOUR"; ///< FIFTEEN_MINUTE | ONE_HOUR | ONE_DAY.
  std::int64_t fast_period = 20;        ///< Fast EMA; 2..1000, below slow_period.
  std::int64_t slow_period = 50;        ///< Slow EMA; 2..1000.
};

/// [triggers.volatility_filter]: skip a product while its realized volatility is above a
/// percentile of its own recent history.
struct volatility_filter_section {
  bool enabled = false;         ///< Apply the filter.
  std::int64_t window = 30;     ///< Log returns per realized-volatility value; 2..1000.
  double percentile = 95.0;     ///< Blocked above this percentile of the series' values; 50..100.
};

/// [correlation]: skip a candidate whose recent returns move with a product already held.
struct correlation_section {
  bool enabled = false;          ///< Apply the filter.
  std::int64_t lookback = 60;    ///< Returns compared, base-timeframe bars; 2..1000.
  double max_correlation = 0.8;  ///< Pearson correlation above which the candidate is skipped; 0..1.
};

/// [candles]: the candle store, its backfill and when a series is too old to evaluate.
struct candles_section {
  std::int64_t capacity = 500;            ///< Closed bars kept per product and granularity; 50..100000.
  std::int64_t max_stale_intervals = 3;   ///< A series this many intervals behind blocks its product; 1..1000.
  bool block_on_gap = true;               ///< A gap in the series blocks its product until backfilled.
  std::int64_t backfill_bars = 300;       ///< Bars asked per REST page (Coinbase: < 350); 10..300.
  std::int64_t backfill_retry_s = 30;     ///< Least time between two backfills of one series, s; 1..3600.
};

/// [regime]: bull / chop / bear / crash of a reference product, with hysteresis.
struct regime_section {
  std::string reference_product = "BTC-USD"; ///< Product whose base-timeframe closes set the regime.
  std::int64_t trend_lookback = 24;          ///< Bars in the trend return; 2..1000.
  double bull_trend_pct = 3.0;               ///< Bull at a trend return >= this, %; 0.01..100.
  double bear_trend_pct = 3.0;               ///< Bear at a trend return <= -this, %; 0.01..100.
  double band_pct = 1.0;                     ///< Hysteresis band, %; 0..100.
  std::int64_t crash_lookback = 6;           ///< Bars in the crash return; 1..1000.
  double crash_drop_pct = 10.0;              ///< Crash at a return <= -this, %; 0.01..100.
  std::int64_t confirm_evaluations = 3;      ///< Evaluations a new regime must hold; 1..100.
  double bull_multiplier = 1.0;              ///< Size multiplier in bull; 0..2.
  double chop_multiplier = 0.5;              ///< Size multiplier in chop; 0..2.
  double bear_multiplier = 0.25;             ///< Size multiplier in bear; 0..2.
};

/// [bad_tick]: prices that jump implausibly are held until confirmed.
struct bad_tick_section {
  double max_jump_pct = 15.0;     ///< A tick this far from the last accepted one is suspect, %; 0 < x <= 100.
  std::int64_t confirm_ticks = 2; ///< Consecutive agreeing ticks that confirm a suspect price; 1..100.
  double confirm_volume_ratio = 3.0; ///< A suspect bar with volume >= this x the mean is confirmed; 0 = never; 0..1000.
  std::int64_t reanchor_after_holds = 5; ///< Consecutive same-side holds after which the next price re-anchors; 0 = never; 0..1000.
};

/// [universe]: the tradable set and how often it is rebuilt.
struct universe_section {
  std::string quote_currency = "USD";     ///< Only products quoted in this currency.
  std::int64_t refresh_interval_s = 3600; ///< Universe rebuild period, s; 60..604800.
  std::int64_t max_symbols = 20;          ///< Largest universe; 1..500.
  std::int64_t liquidity_start_hour = 0;  ///< UTC hour new entries may start; 0..23 (start = end or 0..24: always).
  std::int64_t liquidity_end_hour = 24;   ///< UTC hour they stop; 1..24.
  std::string event_calendar_file;        ///< UTC embargo windows (runtime/config/event_calendar.hpp); "" = none.
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
  double max_spread_bps = 50.0;            ///< Wider quoted spread excludes a product, bps; 0 = no check; 0..10000.
};

/// [themes.NAME]: a group of correlated symbols with a combined cap.
struct theme {
  std::vector<std::string> symbols; ///< Product ids in the theme.
  double max_pct = 10.0;            ///< Combined exposure, % of NAV; 0 < x <= 100.
};

/// [red_flags]: symbols never traded, whatever the tiers say, and the rules that ban a product
/// for some hours by themselves (actors/trading/universe/red_flags.hpp). ban_hours 0 = rule off.
struct red_flags_section {
  std::vector<std::string> excluded_symbols; ///< Product ids.
  std::int64_t bad_ticks_count = 5;          ///< Held quotes within the window that flag; 1..10000.
  std::int64_t bad_ticks_window_s = 3600;    ///< That window, s; 60..604800.
  double bad_ticks_ban_hours = 24.0;         ///< Ban length, h; 0 = rule off; 0..8760.
  double wide_spread_multiple = 3.0;         ///< Spread above this x eligibility.max_spread_bps; 1..1000.
  std::int64_t wide_spread_cycles = 3;       ///< For this many consecutive decision cycles; 1..10000.
  double wide_spread_ban_hours = 6.0;        ///< Ban length, h; 0 = rule off; 0..8760.
  double status_ban_hours = 24.0;            ///< Status went to cancel_only/offline/delisted: ban, h; 0 = off; 0..8760.
};

/// [strategies.NAME]: one strategy's switch and budget.
struct strategy {
  bool enabled = false;             ///< Run this strategy.
  double risk_budget_pct = 10.0;    ///< Its share of NAV at risk, %; 0 <= x <= 100.
  std::int64_t max_positions = 3;   ///< Its open positions at once; 0..100.
  std::string trigger = "breakout"; ///< breakout | momentum | volume_spike | rsi_reversion | atr_breakout.
  std::string kind = "rules";       ///< rules (trigger-driven) | rsi_reversion (RSI oversold entries).
  std::int64_t max_trades_per_cycle = 1; ///< Proposals per cycle; 1..100.
  double min_confidence = 0.5;      ///< Signals below this confidence are ignored; 0..1.
  double notional_usd = 100.0;      ///< Quote amount asked per entry before the regime multiplier; 1..1e9.
  double stop_loss_pct = 0;         ///< Stop loss below entry, %; 0 = risk's default; 0..100.
  double take_profit_pct = 0;       ///< Take profit above entry, %; 0 = risk's default; 0..1000.
  double stop_loss_atr = 0;         ///< Stop loss in ATRs (used when > 0 and the ATR is known); 0..100.
  double take_profit_atr = 0;       ///< Take profit in ATRs; 0..100.
  double rsi_oversold = 30.0;       ///< kind rsi_reversion: enter at RSI <= this; 1..49.
};

/// [ensemble]: a symbol needs K agreeing strategies and a mean confidence >= a threshold.
struct ensemble_section {
  bool enabled = false;             ///< Off: highest confidence per symbol wins.
  std::int64_t min_agreeing = 2;    ///< Strategies that must propose the symbol; 1..100.
  double min_confidence_pct = 80.0; ///< Their mean confidence, %; 0..100.
  double entry_zone_pct = 0.5;      ///< Limit price this far above their mean reference price, %; 0..100.
};

/// [drift]: each strategy's live results against its backtest baseline (docs/backtest.md
/// "Drift detection").
struct drift_section {
  bool enabled = false;                 ///< Off: the drift actor reads nothing and raises nothing.
  std::string baseline_file;            ///< A `backtest run` report (JSON) whose trades are the baseline; empty = none.
  std::int64_t window_trades = 30;      ///< Live round trips per strategy in the rolling window; 5..1000.
  std::int64_t min_trades = 10;         ///< Fewer live or baseline trades: no verdict; 2..1000 (<= window_trades).
  double win_rate_drop_pct = 15.0;      ///< Relative fall of the win rate that breaches, %; 1..100.
  double profit_factor_drop_pct = 30.0; ///< Relative fall of the profit factor that breaches, %; 1..100.
  double sharpe_drop = 0.5;             ///< Fall of the per-trade Sharpe that breaches; 0.01..10.
  double ks_alpha = 0.05;               ///< KS p-value below which the return distributions differ; 0.0001..0.5.
  double alert_cooldown_h = 24.0;       ///< Hours between alerts of one strategy and severity; 0..720.
  bool disable_on_critical = false;     ///< A CRITICAL drift switches the strategy off (until strategies restarts).
  double poll_s = 60.0;                 ///< How often the ledger is read, s; 1..3600.
};

/// Default themes (see config/universe.toml).
std::map<std::string, theme> default_themes();
/// Default strategies (see config/strategies.toml).
std::map<std::string, strategy> default_strategies();

} // namespace trader::config
