#pragma once
// The stable ids of every pre-trade check, as they appear in rejections, audit entries and
// the trader_risk_rejections_total{check} metric. Never rename one; add new ones.

#include <string_view>

namespace trader::risk::check_id {

// -- bad input (stage 1) ------------------------------------------------------
inline constexpr std::string_view unknown_product = "UNKNOWN_PRODUCT";
inline constexpr std::string_view product_delisted = "PRODUCT_DELISTED";
inline constexpr std::string_view invalid_size = "INVALID_SIZE";
inline constexpr std::string_view invalid_price = "INVALID_PRICE";
inline constexpr std::string_view unknown_strategy = "UNKNOWN_STRATEGY";
inline constexpr std::string_view strategy_disabled = "STRATEGY_DISABLED";
inline constexpr std::string_view stale_portfolio = "STALE_PORTFOLIO";
inline constexpr std::string_view invalid_nav = "INVALID_NAV";
// -- market -------------------------------------------------------------------
inline constexpr std::string_view exchange_status = "EXCHANGE_STATUS";
inline constexpr std::string_view stale_quote = "STALE_QUOTE";
inline constexpr std::string_view invalid_quote = "INVALID_QUOTE";
inline constexpr std::string_view spread_too_wide = "SPREAD_TOO_WIDE";
inline constexpr std::string_view insufficient_depth = "INSUFFICIENT_DEPTH";
inline constexpr std::string_view price_impact = "PRICE_IMPACT";
// -- direction, pyramiding, regime ------------------------------------------
inline constexpr std::string_view no_shorts = "NO_SHORTS";
inline constexpr std::string_view pyramiding = "PYRAMIDING";
inline constexpr std::string_view regime_blocked = "REGIME_BLOCKED";
inline constexpr std::string_view exit_atr_unknown = "EXIT_ATR_UNKNOWN";  ///< ATR exits asked, no ATR known.
// -- pacing -------------------------------------------------------------------
inline constexpr std::string_view trades_per_day = "TRADES_PER_DAY";
inline constexpr std::string_view trades_per_hour = "TRADES_PER_HOUR";
inline constexpr std::string_view new_positions_per_hour = "NEW_POSITIONS_PER_HOUR";
inline constexpr std::string_view min_trade_spacing = "MIN_TRADE_SPACING";
inline constexpr std::string_view symbol_cooldown = "SYMBOL_COOLDOWN";
inline constexpr std::string_view stop_out_cooldown = "STOP_OUT_COOLDOWN";
// -- exposure: per-strategy budgets first, then the global caps --------------
inline constexpr std::string_view strategy_budget = "STRATEGY_BUDGET";
inline constexpr std::string_view strategy_max_positions = "STRATEGY_MAX_POSITIONS";
inline constexpr std::string_view position_size_cap = "POSITION_SIZE_CAP";
inline constexpr std::string_view per_asset_cap = "PER_ASSET_CAP";
inline constexpr std::string_view per_theme_cap = "PER_THEME_CAP";
inline constexpr std::string_view total_at_risk_cap = "TOTAL_AT_RISK_CAP";
inline constexpr std::string_view max_open_positions = "MAX_OPEN_POSITIONS";
inline constexpr std::string_view max_order_size = "MAX_ORDER_SIZE";
// -- after the caps -----------------------------------------------------------
inline constexpr std::string_view min_position_size = "MIN_POSITION_SIZE";
inline constexpr std::string_view below_product_minimum = "BELOW_PRODUCT_MINIMUM";
inline constexpr std::string_view check_failed = "CHECK_FAILED";
// -- the risk actor, after the engine approved -------------------------------
inline constexpr std::string_view gate_closed = "GATE_CLOSED";  ///< The gate refuses the order's effect.

} // namespace trader::risk::check_id
