#pragma once
// Human-readable output of `traderctl universe`, `signals` and `strategies` (issue 14).

#include <nlohmann/json.hpp>

namespace trader::ctl {

/// Eligible products, then every exclusion with its reason.
void print_universe(const nlohmann::json& r);
/// The regime, then one line per eligible product: blocked with a reason, or its signals.
void print_signals(const nlohmann::json& r);
/// The last cycle's proposals with risk's verdicts, or its no-trade reason.
void print_strategies(const nlohmann::json& r);

} // namespace trader::ctl
