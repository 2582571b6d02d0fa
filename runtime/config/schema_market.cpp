// Schema of signals.toml, universe.toml and strategies.toml.

#include "runtime/config/schema_builder.hpp"

#include "runtime/config/event_calendar.hpp"

namespace trader::config::detail {

namespace {
const char* signals_file = "signals.toml";
const char* universe_file = "universe.toml";
const char* strategies_file = "strategies.toml";
field_opts products() { return {.check = check_product_ids}; }
std::optional<std::string> check_event_calendar(const config_value& v) {
  const auto& path = std::get<std::string>(v);
  if (path.empty())
    return std::nullopt;
  auto r = load_event_calendar(path);
  if (auto* err = std::get_if<std::string>(&r))
    return *err;
  return std::nullopt;
}
} // namespace

void add_market_sections(std::vector<section_schema>& out) {
  fields_of<triggers_section>(add_section(out, signals_file, "triggers", &member<&trader_config::triggers>,
                                          "Candle source and limits shared by every trigger.", {"triggers"}))
    .add("granularity", &triggers_section::granularity, "Candle size the triggers read.",
         {.choices = {"ONE_MINUTE", "FIVE_MINUTE", "FIFTEEN_MINUTE", "ONE_HOUR"}})
    .add("max_triggers_per_cycle", &triggers_section::max_triggers_per_cycle,
         "The strongest N triggers of a cycle are passed to strategies.", in(1, 100));

  fields_of<breakout_trigger>(add_section(out, signals_file, "triggers.breakout",
                                          &member<&trader_config::breakout>,
                                          "Close above the highest high of the lookback.", {"triggers"}))
    .add("enabled", &breakout_trigger::enabled, "Evaluate this trigger.")
    .add("lookback_candles", &breakout_trigger::lookback_candles, "Candles in the range.", in(2, 1000))
    .add("threshold_pct", &breakout_trigger::threshold_pct, "The close must clear the high by this.", pct())
    .add("min_volume_ratio", &breakout_trigger::min_volume_ratio,
         "Breakout candle volume vs the lookback mean.", in(0, 100));

  fields_of<momentum_trigger>(add_section(out, signals_file, "triggers.momentum",
                                          &member<&trader_config::momentum>,
                                          "Return over the lookback above a threshold.", {"triggers"}))
    .add("enabled", &momentum_trigger::enabled, "Evaluate this trigger.")
    .add("lookback_candles", &momentum_trigger::lookback_candles, "Candles in the return.", in(2, 1000))
    .add("threshold_pct", &momentum_trigger::threshold_pct, "Minimum return over the lookback.", pct());

  fields_of<volume_spike_trigger>(add_section(out, signals_file, "triggers.volume_spike",
                                              &member<&trader_config::volume_spike>,
                                              "Volume far above its recent mean.", {"triggers"}))
    .add("enabled", &volume_spike_trigger::enabled, "Evaluate this trigger.")
    .add("lookback_candles", &volume_spike_trigger::lookback_candles, "Candles in the mean.", in(2, 1000))
    .add("min_ratio", &volume_spike_trigger::min_ratio, "Candle volume vs the mean.", in(1, 1000));

  fields_of<rsi_reversion_trigger>(add_section(out, signals_file, "triggers.rsi_reversion",
                                               &member<&trader_config::rsi_reversion>,
                                               "Wilder RSI oversold (mean reversion).", {"triggers"}))
    .add("enabled", &rsi_reversion_trigger::enabled, "Evaluate this trigger.")
    .add("period", &rsi_reversion_trigger::period, "RSI period.", in(2, 1000))
    .add("oversold", &rsi_reversion_trigger::oversold, "Fires at RSI at or below this.", in(1, 49));

  fields_of<atr_breakout_trigger>(add_section(out, signals_file, "triggers.atr_breakout",
                                              &member<&trader_config::atr_breakout>,
                                              "A close-to-close rise beyond k ATRs.", {"triggers"}))
    .add("enabled", &atr_breakout_trigger::enabled, "Evaluate this trigger.")
    .add("period", &atr_breakout_trigger::period, "ATR period.", in(2, 1000))
    .add("atr_multiple", &atr_breakout_trigger::atr_multiple, "Rise needed, in ATRs.", in(0.1, 20));

  fields_of<trend_filter_section>(add_section(out, signals_file, "triggers.trend_filter",
                                              &member<&trader_config::trend_filter>,
                                              "Entries need the higher timeframe's fast EMA above its slow EMA.",
                                              {"triggers"}))
    .add("enabled", &trend_filter_section::enabled, "Apply the filter.")
    .add("granularity", &trend_filter_section::granularity, "The higher timeframe.",
         {.choices = {"FIFTEEN_MINUTE", "ONE_HOUR", "ONE_DAY"}})
    .add("fast_period", &trend_filter_section::fast_period, "Fast EMA (below slow_period).", in(2, 1000))
    .add("slow_period", &trend_filter_section::slow_period, "Slow EMA.", in(2, 1000));

  fields_of<volatility_filter_section>(add_section(out, signals_file, "triggers.volatility_filter",
                                                   &member<&trader_config::volatility_filter>,
                                                   "Skip a product while its realized volatility is above a "
                                                   "percentile of its own recent history.",
                                                   {"triggers"}))
    .add("enabled", &volatility_filter_section::enabled, "Apply the filter.")
    .add("window", &volatility_filter_section::window, "Log returns per realized-volatility value.", in(2, 1000))
    .add("percentile", &volatility_filter_section::percentile,
         "Blocked above this percentile of the values over the stored series.", in(50, 100, "%"));

  fields_of<candles_section>(add_section(out, signals_file, "candles", &member<&trader_config::candles>,
                                         "The candle store, its REST backfill and series freshness.",
                                         {"triggers"}))
    .add("capacity", &candles_section::capacity, "Closed bars kept per product and granularity.", in(50, 100000))
    .add("max_stale_intervals", &candles_section::max_stale_intervals,
         "A series this many intervals behind blocks its product.", in(1, 1000))
    .add("block_on_gap", &candles_section::block_on_gap, "A gap in the series blocks its product until backfilled.")
    .add("backfill_bars", &candles_section::backfill_bars, "Bars asked per REST page (Coinbase allows < 350).",
         in(10, 300))
    .add("backfill_retry_s", &candles_section::backfill_retry_s, "Least time between two backfills of one series.",
         in(1, 3600, "s"));

  fields_of<regime_section>(add_section(out, signals_file, "regime", &member<&trader_config::regime>,
                                        "Market regime (bull/chop/bear/crash) of a reference product, with "
                                        "hysteresis, and the per-regime size multipliers.",
                                        {"triggers", "strategies"}))
    .add("reference_product", &regime_section::reference_product,
         "Product whose base-timeframe closes set the regime.")
    .add("trend_lookback", &regime_section::trend_lookback, "Bars in the trend return.", in(2, 1000))
    .add("bull_trend_pct", &regime_section::bull_trend_pct, "Bull at a trend return at or above this.",
         in(0.01, 100, "%"))
    .add("bear_trend_pct", &regime_section::bear_trend_pct, "Bear at a trend return at or below minus this.",
         in(0.01, 100, "%"))
    .add("band_pct", &regime_section::band_pct, "Hysteresis band.", in(0, 100, "%"))
    .add("crash_lookback", &regime_section::crash_lookback, "Bars in the crash return.", in(1, 1000))
    .add("crash_drop_pct", &regime_section::crash_drop_pct, "Crash at a return at or below minus this.",
         in(0.01, 100, "%"))
    .add("confirm_evaluations", &regime_section::confirm_evaluations,
         "Evaluations a new regime must hold before it is taken.", in(1, 100))
    .add("bull_multiplier", &regime_section::bull_multiplier, "Position-size multiplier in bull.", in(0, 2))
    .add("chop_multiplier", &regime_section::chop_multiplier, "Position-size multiplier in chop.", in(0, 2))
    .add("bear_multiplier", &regime_section::bear_multiplier, "Position-size multiplier in bear.", in(0, 2));

  fields_of<bad_tick_section>(add_section(out, signals_file, "bad_tick", &member<&trader_config::bad_tick>,
                                          "Prices that jump implausibly are held until confirmed.",
                                          {"market_data", "triggers", "universe"}))
    .add("max_jump_pct", &bad_tick_section::max_jump_pct,
         "A tick this far from the last accepted price is suspect.", pct())
    .add("confirm_ticks", &bad_tick_section::confirm_ticks,
         "Consecutive agreeing ticks that confirm a suspect price.", in(1, 100))
    .add("confirm_volume_ratio", &bad_tick_section::confirm_volume_ratio,
         "A suspect bar with volume at least this times the recent mean is confirmed (0 = never).", in(0, 1000))
    .add("reanchor_after_holds", &bad_tick_section::reanchor_after_holds,
         "After this many consecutive holds on one side of the reference (a sustained move, e.g. a crash), the "
         "next price on that side re-anchors and passes (0 = never).",
         in(0, 1000));

  fields_of<universe_section>(add_section(out, universe_file, "universe", &member<&trader_config::universe>,
                                          "The tradable set and how often it is rebuilt.", {"universe"}))
    .add("quote_currency", &universe_section::quote_currency, "Only products quoted in this currency.",
         {.choices = {"USD", "USDC", "EUR", "GBP"}})
    .add("refresh_interval_s", &universe_section::refresh_interval_s,
         "Universe rebuild period (replaces cache_ttl_seconds).", in(60, 604800, "s"))
    .add("max_symbols", &universe_section::max_symbols, "Largest universe.", in(1, 500))
    .add("liquidity_start_hour", &universe_section::liquidity_start_hour,
         "UTC hour new entries may start (start = end, or 0 and 24: always).", in(0, 23, "h"))
    .add("liquidity_end_hour", &universe_section::liquidity_end_hour, "UTC hour new entries stop.", in(1, 24, "h"))
    .add("event_calendar_file", &universe_section::event_calendar_file,
         "File of UTC windows without new entries: START END REASON per line (\"\" = none); a malformed "
         "line is an error naming file:line.",
         {.check = check_event_calendar});

  fields_of<tiers_section>(
    add_section(out, universe_file, "tiers", &member<&trader_config::tiers>,
                "Symbols by tier: core are always candidates, rotational must pass eligibility.",
                {"universe"}))
    .add("core", &tiers_section::core, "Core product ids (BASE-QUOTE).", products())
    .add("rotational", &tiers_section::rotational, "Rotational product ids.", products());

  fields_of<eligibility_section>(add_section(out, universe_file, "eligibility",
                                             &member<&trader_config::eligibility>,
                                             "Filters a rotational symbol must pass.", {"universe"}))
    .add("min_24h_volume_usd", &eligibility_section::min_24h_volume_usd, "Exchange 24 h volume.",
         in(0, 1e13, "USD"))
    .add("min_listing_age_days", &eligibility_section::min_listing_age_days, "Days since listing.",
         in(0, 36500, "d"))
    .add("require_status_online", &eligibility_section::require_status_online,
         "The product status must be online.")
    .add("max_spread_bps", &eligibility_section::max_spread_bps,
         "A wider quoted spread excludes the product (0 = no check).", in(0, 10000, "bps"));

  fields_of<theme>(add_map_section(out, universe_file, "themes", &trader_config::themes,
                                   "[themes.NAME]: correlated symbols with a combined cap. A base file "
                                   "that defines any theme replaces the built-in list.",
                                   {"universe", "risk"}))
    .add("symbols", &theme::symbols, "Product ids in the theme.", products())
    .add("max_pct", &theme::max_pct, "Combined exposure to the theme, % of NAV.", pct());

  fields_of<red_flags_section>(add_section(out, universe_file, "red_flags",
                                           &member<&trader_config::red_flags>,
                                           "Symbols never traded, whatever the tiers say, and the rules that "
                                           "ban a product for some hours by themselves.", {"universe"}))
    .add("excluded_symbols", &red_flags_section::excluded_symbols, "Excluded product ids.", products())
    .add("bad_ticks_count", &red_flags_section::bad_ticks_count,
         "Rule bad_ticks: this many quotes held by the bad-tick guard within the window ban the product.",
         in(1, 10000))
    .add("bad_ticks_window_s", &red_flags_section::bad_ticks_window_s, "Rule bad_ticks: the window.",
         in(60, 604800, "s"))
    .add("bad_ticks_ban_hours", &red_flags_section::bad_ticks_ban_hours,
         "Rule bad_ticks: ban length (0 = rule off).", in(0, 8760, "h"))
    .add("wide_spread_multiple", &red_flags_section::wide_spread_multiple,
         "Rule wide_spread: a spread above this times eligibility.max_spread_bps (off when that is 0).",
         in(1, 1000))
    .add("wide_spread_cycles", &red_flags_section::wide_spread_cycles,
         "Rule wide_spread: for this many consecutive decision cycles.", in(1, 10000))
    .add("wide_spread_ban_hours", &red_flags_section::wide_spread_ban_hours,
         "Rule wide_spread: ban length (0 = rule off).", in(0, 8760, "h"))
    .add("status_ban_hours", &red_flags_section::status_ban_hours,
         "Rule status: the exchange status went to cancel_only, offline or delisted; ban length (0 = rule off).",
         in(0, 8760, "h"));

  fields_of<correlation_section>(add_section(out, universe_file, "correlation", &member<&trader_config::correlation>,
                                             "Skip a candidate whose recent returns move with a product already held.",
                                             {"strategies"}))
    .add("enabled", &correlation_section::enabled, "Apply the filter.")
    .add("lookback", &correlation_section::lookback, "Returns compared, base-timeframe bars.", in(2, 1000))
    .add("max_correlation", &correlation_section::max_correlation,
         "Pearson correlation above which the candidate is skipped.", in(0, 1));

  fields_of<strategy>(add_map_section(out, strategies_file, "strategies", &trader_config::strategies,
                                      "[strategies.NAME]: one strategy's switch and risk budget. A base "
                                      "file that defines any strategy replaces the built-in list.",
                                      {"strategies"}))
    .add("enabled", &strategy::enabled, "Run this strategy.")
    .add("risk_budget_pct", &strategy::risk_budget_pct,
         "Its share of NAV at risk; enabled budgets must sum to at most risk.max_total_at_risk_pct.", pct0())
    .add("max_positions", &strategy::max_positions, "Its open positions at once.", in(0, 100))
    .add("trigger", &strategy::trigger, "The trigger whose signals it consumes (kind rules).",
         {.choices = {"breakout", "momentum", "volume_spike", "rsi_reversion", "atr_breakout"}})
    .add("kind", &strategy::kind, "rules: entries on its trigger; rsi_reversion: entries at RSI oversold.",
         {.choices = {"rules", "rsi_reversion"}})
    .add("max_trades_per_cycle", &strategy::max_trades_per_cycle, "Proposals per cycle.", in(1, 100))
    .add("min_confidence", &strategy::min_confidence, "Signals below this confidence are ignored.", in(0, 1))
    .add("notional_usd", &strategy::notional_usd, "Quote amount asked per entry, before the regime multiplier.",
         in(1, 1e9, "USD"))
    .add("stop_loss_pct", &strategy::stop_loss_pct, "Stop loss below entry (0 = risk's default).", pct0())
    .add("take_profit_pct", &strategy::take_profit_pct, "Take profit above entry (0 = risk's default).",
         in(0, 1000, "%"))
    .add("stop_loss_atr", &strategy::stop_loss_atr, "Stop loss in ATRs (used when > 0 and the ATR is known).",
         in(0, 100))
    .add("take_profit_atr", &strategy::take_profit_atr, "Take profit in ATRs.", in(0, 100))
    .add("rsi_oversold", &strategy::rsi_oversold, "kind rsi_reversion: enter at RSI at or below this.", in(1, 49));

  fields_of<ensemble_section>(add_section(out, strategies_file, "ensemble", &member<&trader_config::ensemble>,
                                          "Ensemble mode: a symbol needs K agreeing strategies.", {"strategies"}))
    .add("enabled", &ensemble_section::enabled, "Off: the highest confidence per symbol wins.")
    .add("min_agreeing", &ensemble_section::min_agreeing, "Strategies that must propose the symbol.", in(1, 100))
    .add("min_confidence_pct", &ensemble_section::min_confidence_pct, "Their mean confidence.", pct0())
    .add("entry_zone_pct", &ensemble_section::entry_zone_pct,
         "Limit price this far above their mean reference price.", pct0());

  fields_of<drift_section>(add_section(out, strategies_file, "drift", &member<&trader_config::drift>,
                                       "Drift detection: live results against the backtest baseline.", {"strategies"}))
    .add("enabled", &drift_section::enabled, "Off: the drift actor reads nothing and raises nothing.")
    .add("baseline_file", &drift_section::baseline_file,
         "A backtest run report (JSON) whose trades are each strategy's baseline; empty = none.")
    .add("window_trades", &drift_section::window_trades, "Live round trips per strategy in the rolling window.",
         in(5, 1000))
    .add("min_trades", &drift_section::min_trades, "Fewer live or baseline trades give no verdict.", in(2, 1000))
    .add("win_rate_drop_pct", &drift_section::win_rate_drop_pct, "Relative fall of the win rate that breaches.",
         in(1, 100, "%"))
    .add("profit_factor_drop_pct", &drift_section::profit_factor_drop_pct,
         "Relative fall of the profit factor that breaches.", in(1, 100, "%"))
    .add("sharpe_drop", &drift_section::sharpe_drop, "Fall of the per-trade Sharpe that breaches.", in(0.01, 10))
    .add("ks_alpha", &drift_section::ks_alpha, "KS p-value below which live and baseline returns differ.",
         in(0.0001, 0.5))
    .add("alert_cooldown_h", &drift_section::alert_cooldown_h, "Quiet hours between alerts of one strategy.",
         in(0, 720, "h"))
    .add("disable_on_critical", &drift_section::disable_on_critical,
         "A CRITICAL drift switches the strategy off until the strategies actor restarts.")
    .add("poll_s", &drift_section::poll_s, "How often the ledger is read.", in(1, 3600, "s"));
}

} // namespace trader::config::detail
