#pragma once
// The sections of policy.toml: risk limits, pyramiding, execution, microstructure, circuit
// breakers, latency budgets and the decision loop. Percentages are positive magnitudes
// ("stop_loss_pct = 10" closes a position 10% below entry); bps are 1/100 of a percent.

#include <cstdint>

namespace trader::config {

/// How new orders are placed by default.
enum class order_type { limit_post_only, limit, market };

/// What reconcile does with an open order on the exchange that the store does not know
/// (docs/orders.md "Reconcile"); every one is alerted (reconcile_mismatch) whatever the choice.
enum class unknown_order_action { cancel, adopt, alert_only };

/// "limit_post_only", "limit" or "market".
const char* to_string(order_type t);

/// [risk]: portfolio and per-trade limits, enforced by the risk actor.
struct risk_section {
  double max_total_at_risk_pct =
    25.0; ///< Share of NAV at risk across open positions, %; 0 < x <= 100. Required.
  std::int64_t max_open_positions = 5; ///< Open positions at once; 1..100.
  double max_position_pct = 3.0;       ///< Size of one new position, % of NAV; 0 < x <= 100. Required.
  double min_position_pct = 0.5;       ///< Smallest position worth opening, % of NAV; 0 <= x <= 100.
  double per_asset_cap_pct = 5.0;      ///< All exposure to one asset, % of NAV; 0 < x <= 100.
  double stop_loss_pct = 10.0;   ///< Exit when price is this far below entry, %; 0 < x <= 100. Required.
  double take_profit_pct = 12.0; ///< Exit when price is this far above entry, %; 0 < x <= 1000.
  double daily_stop_pct =
    3.0; ///< Close the gate after this loss in a UTC day, % of NAV; 0 < x <= 100. Required.
  double weekly_stop_pct = 7.0;   ///< Close the gate after this loss in a week, % of NAV; 0 < x <= 100.
  double max_drawdown_pct = 10.0; ///< Close the gate after this drawdown from peak NAV, %; 0 < x <= 100.
  std::int64_t max_trades_per_day = 15;          ///< Orders opening or adding risk per UTC day; 0..10000.
  std::int64_t max_trades_per_hour = 5;          ///< Same, per rolling hour; 0..1000.
  std::int64_t max_new_positions_per_hour = 3;   ///< New positions per rolling hour; 0..1000.
  std::int64_t min_seconds_between_trades = 180; ///< Global spacing between trades, s; 0..86400.
  std::int64_t per_symbol_cooldown_s = 900;      ///< Spacing between trades on one symbol, s; 0..604800.
  double max_quote_age_s =
    30.0; ///< A quote older than this blocks new risk on its product, s; 0 < x <= 3600.
  std::int64_t stop_out_cooldown_s = 3600; ///< No re-entry on a symbol after its stop-loss exit, s; 0..604800.
  double max_portfolio_age_s = 60.0; ///< A ledger not heard of for longer blocks new risk, s; 0 < x <= 3600.
  double stop_loss_atr = 0.0;   ///< Stop at entry − k × ATR when > 0 and an ATR is known (else the %); 0..100.
  double take_profit_atr = 0.0; ///< Take profit at entry + k × ATR when > 0 and an ATR is known; 0..100.
  double cash_flow_min_pct = 0.5; ///< A cash change its fills do not explain above this, % of NAV, is a transfer; 0 < x <= 100.
};

/// [risk.pyramiding]: adding to a winning position.
struct pyramiding_section {
  bool enabled = false;                   ///< Allow adds to an open position.
  std::int64_t max_adds_per_day = 1;      ///< Adds per position per UTC day; 0..100.
  std::int64_t max_adds_per_position = 1; ///< Adds over a position's life; 0..100.
  std::int64_t add_cooldown_s = 600;      ///< Spacing between adds to one position, s; 0..86400.
  double add_size_pct = 50.0;             ///< Size of one add, % of the initial position; 0 < x <= 100.
  std::int64_t max_pyramid_positions = 0; ///< Positions that may be pyramided at once; 0 = any; 0..100.
  double min_add_distance_pct = 1.0;      ///< An add needs the mark this far above the last entry, %; 0..100.
};

/// [execution]: how orders are placed and what they may cost.
struct execution_section {
  order_type default_order_type = order_type::limit_post_only; ///< limit_post_only | limit | market.
  double maker_fee_bps = 40.0;                                 ///< Assumed maker fee, bps; 0..1000.
  double taker_fee_bps = 60.0;                                 ///< Assumed taker fee, bps; 0..1000.
  double max_slippage_bps = 50.0;       ///< Worst accepted slippage vs the quote, bps; 0..10000.
  double min_order_usd = 5.0;           ///< Smaller orders are not sent, USD; 0..1e9.
  double max_order_usd = 500.0;         ///< Larger orders are split or refused, USD; 0 < x <= 1e9.
  std::int64_t limit_order_ttl_s = 120; ///< Unfilled limit orders are cancelled after, s; 1..86400.
  bool allow_taker_fallback = false;    ///< Re-send as taker when a post-only order is rejected or expires.
  /// Open orders on the exchange the store does not know: cancel | adopt | alert_only.
  unknown_order_action unknown_order_policy = unknown_order_action::cancel;
  bool cancel_on_shutdown = true;       ///< A graceful stop (SIGTERM) cancels this account's open orders.
  bool shadow_mode = false;             ///< LIVE/PAPER: every create also goes to a local simulator (compared).
  /// Base balance minus the coins held outside the ledger vs the ledger's positions: a larger
  /// difference is a reconcile mismatch, base units; 0..1.
  double balance_tolerance = 0.00000001;
  /// PAPER: the simulated account's quote cash on a fresh store (later starts take the ledger's), USD; 0 < x <= 1e9.
  double paper_starting_cash = 10000.0;
};

/// [microstructure]: book quality required before trading a product.
struct microstructure_section {
  double max_spread_bps = 50.0;        ///< Wider spreads block entries, bps; 0..10000.
  double min_top_of_book_usd = 5000.0; ///< Depth at best bid/ask required, USD; 0..1e12.
  double max_price_impact_bps = 30.0;  ///< Estimated impact of our order, bps; 0..10000.
  double depth_window_bps = 25.0;      ///< Depth is counted within this of the touch, bps; 0 < x <= 10000.
  double min_depth_multiple = 2.0;     ///< Depth in the window must be this × the order; 0..1000.
  bool require_book = true;            ///< No usable level-2 book refuses entries (false: the quote's touch stands in).
};

/// [circuit_breakers]: conditions that close the trading gate. The section must be present.
struct circuit_breakers_section {
  std::int64_t max_data_age_s = 60;     ///< Market data older than this closes the gate, s; 1..86400.
  std::int64_t max_api_errors = 5;      ///< API errors within the window that close the gate; 1..10000.
  std::int64_t api_error_window_s = 60; ///< Window for max_api_errors, s; 1..86400.
  std::int64_t max_clock_skew_ms =
    150; ///< Local vs exchange clock difference that closes the gate and refuses LIVE at start, ms; 1..600000.
  bool halt_on_product_degraded = true; ///< A product not "online" blocks new risk on it.
};

/// [latency]: budgets; exceeding one is a latency alert, not a gate closure.
struct latency_section {
  std::int64_t rest_budget_ms = 1500;      ///< REST round trip, ms; 1..600000.
  std::int64_t order_ack_budget_ms = 3000; ///< Order submit to exchange ack, ms; 1..600000.
  std::int64_t ws_lag_budget_ms = 1000;    ///< WebSocket event time to receipt, ms; 1..600000.
};

/// [loop]: the jittered decision cycle.
struct loop_section {
  double interval_s = 60.0;     ///< Nominal time between decision cycles, s; 1..86400.
  double jitter_pct = 10.0;     ///< Each interval varies by up to ± this, %; 0..50.
  double cycle_budget_s = 45.0; ///< A cycle taking longer is abandoned and alerted, s; 0 < x <= 86400.
};

} // namespace trader::config
