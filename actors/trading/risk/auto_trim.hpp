#pragma once
// Auto-trim: when exposure is above a cap (per-asset cap, then the total at-risk cap) —
// after a mark moved or a limit was lowered — reduce-only sells that bring it back under.
// Sizes round up to the base increment so the result lands under the cap, never above the
// position; a trim below the product minimum is skipped and reported. No CAF.

#include "actors/trading/risk/market_view.hpp"
#include "actors/trading/risk/portfolio.hpp"
#include "actors/trading/risk/risk_policy.hpp"
#include "messages/trading.hpp"

#include <string>
#include <vector>

namespace trader::risk {

/// The trims for one portfolio.
struct trim_plan {
  std::vector<order_intent> intents;  ///< Reduce-only market IOC sells (ids left empty).
  std::vector<std::string> notes;     ///< "asset=BTC excess=120 trim=0.0021" or why one was skipped.
};

/// Trims `book` back under policy.per_asset_cap_pct and policy.max_total_at_risk_pct.
/// Pending buys are not trimmed (cancelling them is the order lifecycle's business) but
/// count as exposure. For the total cap the largest positions are trimmed first.
trim_plan plan_trims(const portfolio_snapshot& book, const risk_policy& policy, const market_snapshot& market,
                     ts_ns now);

} // namespace trader::risk
