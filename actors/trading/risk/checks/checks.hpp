#pragma once
// Every pre-trade check (docs/risk.md "Checks"), one function per stable id. Each is pure:
// it reads only the check context. all_checks() lists them in the fixed order the risk
// engine runs them: bad input, market, direction, regime, pacing, then the exposure caps
// (per-strategy budgets before the global caps). No CAF.

#include "actors/trading/risk/checks/check.hpp"

#include <span>

namespace trader::risk {

// -- bad input ----------------------------------------------------------------
check_result check_unknown_product(const check_context& c);    ///< UNKNOWN_PRODUCT: no rules for it.
check_result check_product_delisted(const check_context& c);   ///< PRODUCT_DELISTED
check_result check_invalid_size(const check_context& c);       ///< INVALID_SIZE: target ≤ 0 or absurd.
check_result check_invalid_price(const check_context& c);      ///< INVALID_PRICE: limit price < 0.
check_result check_unknown_strategy(const check_context& c);   ///< UNKNOWN_STRATEGY
check_result check_strategy_disabled(const check_context& c);  ///< STRATEGY_DISABLED (entries only).
check_result check_stale_portfolio(const check_context& c);    ///< STALE_PORTFOLIO: snapshot too old.
check_result check_invalid_nav(const check_context& c);        ///< INVALID_NAV: NAV ≤ 0.

// -- market -------------------------------------------------------------------
check_result check_exchange_status(const check_context& c);  ///< EXCHANGE_STATUS: not online / unknown.
check_result check_stale_quote(const check_context& c);      ///< STALE_QUOTE: none, too old, from the future.
check_result check_invalid_quote(const check_context& c);    ///< INVALID_QUOTE: non-positive or crossed.
check_result check_spread(const check_context& c);           ///< SPREAD_TOO_WIDE
check_result check_depth(const check_context& c);            ///< INSUFFICIENT_DEPTH: top of book / window.
check_result check_price_impact(const check_context& c);     ///< PRICE_IMPACT: walking the book.

// -- direction, pyramiding, regime ------------------------------------------
check_result check_no_shorts(const check_context& c);       ///< NO_SHORTS; caps a sell at the position.
check_result check_pyramiding(const check_context& c);      ///< PYRAMIDING: every add rule.
check_result check_regime(const check_context& c);          ///< REGIME_BLOCKED: multiplier 0.
check_result check_exit_atr(const check_context& c);        ///< EXIT_ATR_UNKNOWN: ATR exits without an ATR.

// -- pacing -------------------------------------------------------------------
check_result check_trades_per_day(const check_context& c);          ///< TRADES_PER_DAY (UTC day).
check_result check_trades_per_hour(const check_context& c);         ///< TRADES_PER_HOUR (rolling).
check_result check_new_positions_per_hour(const check_context& c);  ///< NEW_POSITIONS_PER_HOUR
check_result check_min_trade_spacing(const check_context& c);       ///< MIN_TRADE_SPACING
check_result check_symbol_cooldown(const check_context& c);         ///< SYMBOL_COOLDOWN (trades, fills).
check_result check_stop_out_cooldown(const check_context& c);       ///< STOP_OUT_COOLDOWN

// -- exposure, pending included ----------------------------------------------
check_result check_strategy_budget(const check_context& c);         ///< STRATEGY_BUDGET
check_result check_strategy_max_positions(const check_context& c);  ///< STRATEGY_MAX_POSITIONS
check_result check_position_size(const check_context& c);           ///< POSITION_SIZE_CAP
check_result check_per_asset_cap(const check_context& c);           ///< PER_ASSET_CAP
check_result check_per_theme_cap(const check_context& c);           ///< PER_THEME_CAP
check_result check_total_at_risk(const check_context& c);           ///< TOTAL_AT_RISK_CAP
check_result check_max_open_positions(const check_context& c);      ///< MAX_OPEN_POSITIONS
check_result check_max_order_size(const check_context& c);          ///< MAX_ORDER_SIZE

/// The smallest order worth sending for this proposal: max(min_position_pct of NAV,
/// min_order_usd) for a new position, min_order_usd for an add.
notional min_position_notional(const check_context& c);

/// Every check, in the order the engine runs them.
std::span<const check_def> all_checks();

} // namespace trader::risk
