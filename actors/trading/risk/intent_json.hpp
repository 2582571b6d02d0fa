#pragma once
// An order intent's fields as the risk actor audits them (risk_intent, risk_verdict,
// risk_exit, risk_trim): one rendering for traderd, backtest's pipeline and its replay, so
// their audit lines and decision hashes read the same fields. No CAF.

#include "messages/names.hpp"
#include "messages/trading.hpp"

#include <nlohmann/json.hpp>

namespace trader::risk {

/// {"proposal_id", "product", "side", "type", "tif", "limit_px", "base_size", "quote_size",
/// "post_only", "reduce_only"}.
nlohmann::json intent_json(const order_intent& in);

} // namespace trader::risk
