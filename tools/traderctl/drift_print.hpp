#pragma once
// Human-readable output of `traderctl drift` (issue 19).

#include <nlohmann/json.hpp>

namespace trader::ctl {

/// Whether drift detection is on and its baseline, then one line per strategy: severity, live
/// vs baseline win rate / profit factor / Sharpe, KS p-value, and every reason.
void print_drift(const nlohmann::json& r);

} // namespace trader::ctl
