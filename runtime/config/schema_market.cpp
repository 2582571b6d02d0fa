// Schema of signals.toml, universe.toml and strategies.toml.

#include "runtime/config/schema_builder.hpp"

namespace trader::config::detail {

namespace {
const char* signals_file = "signals.toml";
const char* universe_file = "universe.toml";
const char* strategies_file = "strategies.toml";
field_opts products() { return {.check = check_product_ids}; }
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

  fields_of<bad_tick_section>(add_section(out, signals_file, "bad_tick", &member<&trader_config::bad_tick>,
                                          "Prices that jump implausibly are held until confirmed.",
                                          {"market_data", "triggers"}))
    .add("max_jump_pct", &bad_tick_section::max_jump_pct,
         "A tick this far from the last accepted price is suspect.", pct())
    .add("confirm_ticks", &bad_tick_section::confirm_ticks,
         "Consecutive agreeing ticks that confirm a suspect price.", in(1, 100));

  fields_of<universe_section>(add_section(out, universe_file, "universe", &member<&trader_config::universe>,
                                          "The tradable set and how often it is rebuilt.", {"universe"}))
    .add("quote_currency", &universe_section::quote_currency, "Only products quoted in this currency.",
         {.choices = {"USD", "USDC", "EUR", "GBP"}})
    .add("refresh_interval_s", &universe_section::refresh_interval_s,
         "Universe rebuild period (replaces cache_ttl_seconds).", in(60, 604800, "s"))
    .add("max_symbols", &universe_section::max_symbols, "Largest universe.", in(1, 500));

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
         "The product status must be online.");

  fields_of<theme>(add_map_section(out, universe_file, "themes", &trader_config::themes,
                                   "[themes.NAME]: correlated symbols with a combined cap. A base file "
                                   "that defines any theme replaces the built-in list.",
                                   {"universe", "risk"}))
    .add("symbols", &theme::symbols, "Product ids in the theme.", products())
    .add("max_pct", &theme::max_pct, "Combined exposure to the theme, % of NAV.", pct());

  fields_of<red_flags_section>(add_section(out, universe_file, "red_flags",
                                           &member<&trader_config::red_flags>,
                                           "Symbols never traded, whatever the tiers say.", {"universe"}))
    .add("excluded_symbols", &red_flags_section::excluded_symbols, "Excluded product ids.", products());

  fields_of<strategy>(add_map_section(out, strategies_file, "strategies", &trader_config::strategies,
                                      "[strategies.NAME]: one strategy's switch and risk budget. A base "
                                      "file that defines any strategy replaces the built-in list.",
                                      {"strategies"}))
    .add("enabled", &strategy::enabled, "Run this strategy.")
    .add("risk_budget_pct", &strategy::risk_budget_pct,
         "Its share of NAV at risk; enabled budgets must sum to at most risk.max_total_at_risk_pct.", pct0())
    .add("max_positions", &strategy::max_positions, "Its open positions at once.", in(0, 100))
    .add("trigger", &strategy::trigger, "The trigger whose signals it consumes.",
         {.choices = {"breakout", "momentum", "volume_spike"}});
}

} // namespace trader::config::detail
