#pragma once
// The limits the risk engine enforces, as one plain struct. Field names match the keys of
// config/policy.toml ([risk], [risk.pyramiding], [execution], [microstructure],
// [circuit_breakers]), strategies.toml and universe.toml ([themes.*]); fields marked
// "(not in policy.toml yet)" have a default here and are read once config is wired
// (docs/risk.md "Configuration"). Percentages are positive magnitudes. No CAF.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trader::risk {

/// [strategies.NAME]: one strategy's switch and budget.
struct strategy_limits {
  bool enabled = true;            ///< Proposals from a disabled strategy are refused.
  double risk_budget_pct = 10.0;  ///< Its share of NAV at risk, %; 0..100.
  std::int64_t max_positions = 3; ///< Its open positions at once; 0..100.
};

/// [themes.NAME]: correlated assets whose combined exposure is capped.
struct theme_limits {
  std::string name;                ///< The table name, e.g. "large_caps".
  std::vector<std::string> assets; ///< Base currencies ("BTC"); from the theme's product ids.
  double max_pct = 10.0;           ///< Combined exposure, % of NAV; 0 < x <= 100.
};

/// [risk.pyramiding]: adding to an open, winning position.
struct pyramiding_limits {
  bool enabled = false;                   ///< Allow adds at all.
  std::int64_t max_adds_per_day = 1;      ///< Adds per position per UTC day; 0..100.
  std::int64_t max_adds_per_position = 1; ///< Adds over a position's life; 0..100.
  std::int64_t add_cooldown_s = 600;      ///< Spacing between adds to one position, s; 0..86400.
  double add_size_pct = 50.0;             ///< One add, % of the initial position; 0 < x <= 100.
  std::int64_t max_pyramid_positions = 0; ///< Positions carrying adds at once; 0 = no limit.
  double min_add_distance_pct = 1.0;      ///< The mark must be this far above the last entry, %; 0..100.
};

/// How orders that open or add risk are placed ([execution] default_order_type).
enum class entry_order : std::uint8_t { limit_post_only, limit, market };

/// Every limit the pre-trade checks, sizing, loss limits and exits read.
struct risk_policy {
  // -- [risk] ------------------------------------------------------------------
  double max_total_at_risk_pct = 25.0;            ///< NAV at risk over all positions, %; 0 < x <= 100.
  std::int64_t max_open_positions = 5;            ///< Open positions at once; 1..100.
  double max_position_pct = 3.0;                  ///< One new position, % of NAV; 0 < x <= 100.
  double min_position_pct = 0.5;                  ///< Smaller sizings are dropped, % of NAV; 0..100.
  double per_asset_cap_pct = 5.0;                 ///< All exposure to one asset, % of NAV; 0 < x <= 100.
  double stop_loss_pct = 10.0;                    ///< Exit this far below entry, %; 0 < x <= 100.
  double take_profit_pct = 12.0;                  ///< Exit this far above entry, %; 0 < x <= 1000.
  double daily_stop_pct = 3.0;                    ///< Gate closes after this loss in a UTC day, % of NAV.
  double weekly_stop_pct = 7.0;                   ///< Same per ISO week, % of NAV.
  double max_drawdown_pct = 10.0;                 ///< Gate closes after this drawdown from peak NAV, %.
  std::int64_t max_trades_per_day = 15;           ///< Risk-adding orders per UTC day; 0..10000.
  std::int64_t max_trades_per_hour = 5;           ///< Same per rolling hour; 0..1000.
  std::int64_t max_new_positions_per_hour = 3;    ///< New positions per rolling hour; 0..1000.
  std::int64_t min_seconds_between_trades = 180;  ///< Global spacing of risk-adding orders, s; 0..86400.
  std::int64_t per_symbol_cooldown_s = 900;       ///< Spacing on one symbol after a trade or fill, s.
  double max_quote_age_s = 30.0;                  ///< Older quotes block new risk, s; 0 < x <= 3600.
  std::int64_t stop_out_cooldown_s = 3600;        ///< No re-entry after a stop-out, s; 0..604800.
  double max_portfolio_age_s = 60.0;              ///< Older snapshots block new risk, s; 0 < x <= 3600.
  double stop_loss_atr = 0.0;                     ///< Stop at entry − k×ATR when > 0 and an ATR is known; 0..100.
  double take_profit_atr = 0.0;                   ///< Take profit at entry + k×ATR when > 0; 0..100.
  double cash_flow_min_pct = 0.5;                 ///< A cash change not from fills above this, % of NAV, is a transfer; 0 < x <= 100.
  pyramiding_limits pyramiding;                   ///< [risk.pyramiding]

  // -- [execution] -------------------------------------------------------------
  entry_order default_order_type = entry_order::limit_post_only;  ///< How entries are placed.
  double maker_fee_bps = 40.0;                    ///< Fallback maker fee, bps, when no fee tier is known.
  double taker_fee_bps = 60.0;                    ///< Fallback taker fee, bps.
  double max_slippage_bps = 50.0;                 ///< Worst accepted price vs the quote, bps.
  double min_order_usd = 5.0;                     ///< Smaller orders (after fees) are not sent, USD.
  double max_order_usd = 500.0;                   ///< Larger orders are cut to this, USD.
  std::int64_t limit_order_ttl_s = 120;           ///< Entries are GTD this long, s; 1..86400.
  std::int64_t price_improvement_ticks = 0;       ///< Post-only price ticks inside the touch (not yet).

  // -- [microstructure] --------------------------------------------------------
  double max_spread_bps = 50.0;                   ///< Wider spreads block entries, bps.
  double min_top_of_book_usd = 5000.0;            ///< Notional required at best bid and best ask, USD.
  double max_price_impact_bps = 30.0;             ///< Estimated impact of the order, bps.
  double depth_window_bps = 25.0;                 ///< Depth counted within this of the touch, bps; 0 < x <= 10000.
  double min_depth_multiple = 2.0;                ///< Depth in the window ≥ this × the order; 0..1000.
  bool require_book = true;                       ///< No usable level-2 book: entries refused (false: the touch stands in).

  // -- [circuit_breakers] ------------------------------------------------------
  std::int64_t max_clock_skew_ms = 150;           ///< Quote timestamps may lead local time by this, ms.

  // -- signals.toml [regime] ---------------------------------------------------
  /// Entry size multiplier per regime name (bull/chop/bear_multiplier, 0..2; crash is 0).
  std::map<std::string, double> regime_multipliers = {{"bull", 1.0}, {"chop", 0.5}, {"bear", 0.25}, {"crash", 0.0}};

  // -- strategies.toml, universe.toml ------------------------------------------
  std::map<std::string, strategy_limits> strategies;  ///< By strategy name; unknown names are refused.
  std::vector<theme_limits> themes;                   ///< [themes.*]
  std::vector<std::string> preferred_quotes = {"USD", "USDC"};  ///< best_pair() order; the live pipeline trades the ledger's quote currency only (docs/risk.md "Best pair").
};

/// The conservative defaults of config/ (policy.toml, strategies.toml, universe.toml).
risk_policy default_risk_policy();

} // namespace trader::risk
