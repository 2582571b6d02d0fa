#pragma once
// Human-readable output of `traderctl risk` (issue 15).

#include <nlohmann/json.hpp>

namespace trader::ctl {

/// Gate, exposure against its limits, loss limits, pacing, protective exits, last verdicts.
void print_risk(const nlohmann::json& r);
/// The `risk` block of `traderctl status`: NAV, exposure, day/week PnL, drawdown.
void print_risk_summary(const nlohmann::json& risk);

} // namespace trader::ctl
