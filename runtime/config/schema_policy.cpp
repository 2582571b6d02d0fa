// Schema of policy.toml.

#include "runtime/config/schema_builder.hpp"

namespace trader::config::detail {

namespace {
const char* policy_file = "policy.toml";
field_opts up_to(double hi) { return in(0, hi); }
field_opts bps(double hi) { return {.min = 0.0, .max = hi, .percent = true, .unit = "bps"}; }
} // namespace

void add_policy_sections(std::vector<section_schema>& out) {
  fields_of<risk_section>(add_section(out, policy_file, "risk", &member<&trader_config::risk>,
                                      "Portfolio and per-trade limits, enforced by the risk actor.",
                                      {"risk"}))
    .add("max_total_at_risk_pct", &risk_section::max_total_at_risk_pct,
         "Share of NAV at risk across all open positions. Raise only together with max_drawdown_pct.",
         pct(true))
    .add("max_open_positions", &risk_section::max_open_positions, "Open positions at once.", in(1, 100))
    .add("max_position_pct", &risk_section::max_position_pct, "Size of one new position, % of NAV.",
         pct(true))
    .add("min_position_pct", &risk_section::min_position_pct,
         "Smallest position worth opening, % of NAV; smaller sizings are dropped.", pct0())
    .add("per_asset_cap_pct", &risk_section::per_asset_cap_pct,
         "All exposure to one asset (adds included), % of NAV.", pct())
    .add("stop_loss_pct", &risk_section::stop_loss_pct,
         "Exit when the price is this far below entry (a positive magnitude).", pct(true))
    .add("take_profit_pct", &risk_section::take_profit_pct, "Exit when the price is this far above entry.",
         {.min = 0.0, .max = 1000.0, .min_exclusive = true, .percent = true, .unit = "%"})
    .add("daily_stop_pct", &risk_section::daily_stop_pct,
         "Close the gate after this loss within a UTC day, % of start-of-day NAV.", pct(true))
    .add("weekly_stop_pct", &risk_section::weekly_stop_pct,
         "Close the gate after this loss within a UTC week (Monday 00:00), % of NAV.", pct())
    .add("max_drawdown_pct", &risk_section::max_drawdown_pct,
         "Close the gate after this drawdown from peak NAV; an operator must resume.", pct())
    .add("max_trades_per_day", &risk_section::max_trades_per_day,
         "Orders that open or add risk per UTC day (exits do not count).", up_to(10000))
    .add("max_trades_per_hour", &risk_section::max_trades_per_hour, "Same, per rolling hour.", up_to(1000))
    .add("max_new_positions_per_hour", &risk_section::max_new_positions_per_hour,
         "New positions per rolling hour.", up_to(1000))
    .add("min_seconds_between_trades", &risk_section::min_seconds_between_trades,
         "Global spacing between two risk-adding orders.", in(0, 86400, "s"))
    .add("per_symbol_cooldown_s", &risk_section::per_symbol_cooldown_s,
         "Spacing between two risk-adding orders on one symbol.", in(0, 604800, "s"))
    .add("max_quote_age_s", &risk_section::max_quote_age_s,
         "A quote older than this blocks new risk on its product.",
         {.min = 0.0, .max = 3600.0, .min_exclusive = true, .unit = "s"})
    .add("stop_out_cooldown_s", &risk_section::stop_out_cooldown_s,
         "No new entry on a symbol for this long after its stop-loss exit.", in(0, 604800, "s"))
    .add("max_portfolio_age_s", &risk_section::max_portfolio_age_s,
         "A ledger (order_lifecycle's portfolio) not heard of for longer blocks new risk.",
         {.min = 0.0, .max = 3600.0, .min_exclusive = true, .unit = "s"})
    .add("stop_loss_atr", &risk_section::stop_loss_atr,
         "Stop at entry minus this many ATRs when > 0 and the proposal brings an ATR; otherwise stop_loss_pct.",
         up_to(100))
    .add("take_profit_atr", &risk_section::take_profit_atr,
         "Take profit at entry plus this many ATRs when > 0 and an ATR is known; otherwise take_profit_pct.",
         up_to(100))
    .add("cash_flow_min_pct", &risk_section::cash_flow_min_pct,
         "A change of the ledger's cash its fills do not explain, larger than this share of NAV, is a deposit or "
         "withdrawal: taken out of PnL and drawdown (the openings and high-water mark move by it), audited.",
         pct());

  fields_of<pyramiding_section>(add_section(out, policy_file, "risk.pyramiding",
                                            &member<&trader_config::pyramiding>,
                                            "Adding to an open, winning position.", {"risk"}))
    .add("enabled", &pyramiding_section::enabled, "Allow adds to an open position.")
    .add("max_adds_per_day", &pyramiding_section::max_adds_per_day, "Adds per position per UTC day.",
         up_to(100))
    .add("max_adds_per_position", &pyramiding_section::max_adds_per_position, "Adds over a position's life.",
         up_to(100))
    .add("add_cooldown_s", &pyramiding_section::add_cooldown_s, "Spacing between adds to one position.",
         in(0, 86400, "s"))
    .add("add_size_pct", &pyramiding_section::add_size_pct, "Size of one add, % of the initial position.",
         pct())
    .add("max_pyramid_positions", &pyramiding_section::max_pyramid_positions,
         "Positions that may carry adds at once; 0 = no limit beyond max_open_positions.", up_to(100))
    .add("min_add_distance_pct", &pyramiding_section::min_add_distance_pct,
         "An add needs the mark at least this far above the last entry (the first fill or the last add).", pct0());

  fields_of<execution_section>(add_section(out, policy_file, "execution", &member<&trader_config::execution>,
                                           "How orders are placed and what they may cost.",
                                           {"order_lifecycle", "risk"}))
    .add_enum("default_order_type", &execution_section::default_order_type,
              {"limit_post_only", "limit", "market"},
              "limit_post_only never takes liquidity; market is for exits only in practice.")
    .add("maker_fee_bps", &execution_section::maker_fee_bps, "Assumed maker fee (net-edge checks).",
         bps(1000))
    .add("taker_fee_bps", &execution_section::taker_fee_bps, "Assumed taker fee.", bps(1000))
    .add("max_slippage_bps", &execution_section::max_slippage_bps,
         "Worst accepted price vs the quote at decision time.", bps(10000))
    .add("min_order_usd", &execution_section::min_order_usd, "Smaller orders are not sent.",
         in(0, 1e9, "USD"))
    .add("max_order_usd", &execution_section::max_order_usd, "Larger orders are refused.",
         {.min = 0.0, .max = 1e9, .min_exclusive = true, .unit = "USD"})
    .add("limit_order_ttl_s", &execution_section::limit_order_ttl_s,
         "An unfilled limit order is cancelled after this long.", in(1, 86400, "s"))
    .add("allow_taker_fallback", &execution_section::allow_taker_fallback,
         "Re-send as a taker order when a post-only order is rejected or expires.")
    .add_enum("unknown_order_policy", &execution_section::unknown_order_policy, {"cancel", "adopt", "alert_only"},
              "An open order on the exchange that the state store does not know: cancel it, adopt it (track it "
              "as this daemon's), or only alert. Every one raises reconcile_mismatch.")
    .add("cancel_on_shutdown", &execution_section::cancel_on_shutdown,
         "A graceful stop (SIGTERM, systemctl stop) cancels every open order of the account before exiting.")
    .add("shadow_mode", &execution_section::shadow_mode,
         "LIVE or PAPER: every create also goes to a local fill simulator fed with the live quotes; intended vs "
         "actual fill price, time and size in traderctl shadow and the trader_shadow metrics.")
    .add("balance_tolerance", &execution_section::balance_tolerance,
         "LIVE and PAPER reconcile: a base currency's balance, less the coins held outside the ledger, may differ "
         "from the ledger's positions by this much; more is a reconcile_mismatch and holds the gate.",
         in(0, 1, "base units"))
    .add("paper_starting_cash", &execution_section::paper_starting_cash,
         "PAPER: the simulated account's quote cash on a fresh state store; later starts take the cash and "
         "coins the ledger's fills leave.",
         {.min = 0.0, .max = 1e9, .min_exclusive = true, .unit = "USD"});

  fields_of<microstructure_section>(add_section(out, policy_file, "microstructure",
                                                &member<&trader_config::microstructure>,
                                                "Book quality required before entering a product.", {"risk"}))
    .add("max_spread_bps", &microstructure_section::max_spread_bps, "Wider spreads block entries.",
         bps(10000))
    .add("min_top_of_book_usd", &microstructure_section::min_top_of_book_usd,
         "Notional at best bid and best ask required.", in(0, 1e12, "USD"))
    .add("max_price_impact_bps", &microstructure_section::max_price_impact_bps,
         "Estimated impact of our order on the book.", bps(10000))
    .add("depth_window_bps", &microstructure_section::depth_window_bps,
         "Depth is counted within this distance of the touch.",
         {.min = 0.0, .max = 10000.0, .min_exclusive = true, .percent = true, .unit = "bps"})
    .add("min_depth_multiple", &microstructure_section::min_depth_multiple,
         "Depth within depth_window_bps must be at least this multiple of the order.", up_to(1000))
    .add("require_book", &microstructure_section::require_book,
         "Without a usable level-2 book (no snapshot yet, a sequence gap, a stale feed) entries are refused "
         "(INSUFFICIENT_DEPTH book=none); false lets the quote's touch stand for the book.");

  fields_of<circuit_breakers_section>(
    add_section(out, policy_file, "circuit_breakers", &member<&trader_config::circuit_breakers>,
                "Conditions that close the trading gate. The section must be written explicitly.",
                {"risk", "market_data"}))
    .add("max_data_age_s", &circuit_breakers_section::max_data_age_s,
         "Market data older than this closes the gate (stale data).", in(1, 86400, "s"))
    .add("max_api_errors", &circuit_breakers_section::max_api_errors,
         "API errors within api_error_window_s that close the gate.", in(1, 10000))
    .add("api_error_window_s", &circuit_breakers_section::api_error_window_s, "Window of max_api_errors.",
         in(1, 86400, "s"))
    .add("max_clock_skew_ms", &circuit_breakers_section::max_clock_skew_ms,
         "Local vs exchange clock difference that closes the gate and refuses LIVE at start.", in(1, 600000, "ms"))
    .add("halt_on_product_degraded", &circuit_breakers_section::halt_on_product_degraded,
         "A product whose status is not online blocks new risk on it.");

  fields_of<latency_section>(add_section(out, policy_file, "latency", &member<&trader_config::latency>,
                                         "Latency budgets; exceeding one raises a latency alert.",
                                         {"latency"}))
    .add("rest_budget_ms", &latency_section::rest_budget_ms, "REST round trip.", in(1, 600000, "ms"))
    .add("order_ack_budget_ms", &latency_section::order_ack_budget_ms, "Order submit to exchange ack.",
         in(1, 600000, "ms"))
    .add("ws_lag_budget_ms", &latency_section::ws_lag_budget_ms, "WebSocket event time to receipt.",
         in(1, 600000, "ms"));

  fields_of<loop_section>(add_section(out, policy_file, "loop", &member<&trader_config::loop>,
                                      "The jittered decision cycle.", {"scheduler"}))
    .add("interval_s", &loop_section::interval_s, "Nominal time between decision cycles.", in(1, 86400, "s"))
    .add("jitter_pct", &loop_section::jitter_pct, "Each interval varies by up to plus or minus this.",
         {.min = 0.0, .max = 50.0, .percent = true, .unit = "%"})
    .add("cycle_budget_s", &loop_section::cycle_budget_s, "A cycle running longer is abandoned and alerted.",
         {.min = 0.0, .max = 86400.0, .min_exclusive = true, .unit = "s"});
}

} // namespace trader::config::detail
