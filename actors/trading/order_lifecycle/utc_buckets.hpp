#pragma once
// PnL bucket keys by UTC calendar: "day/2026-11-21", "week/2026-W47", "total" — the same
// keys the state store uses for its pnl database. No CAF.

#include "messages/time.hpp"

#include <cstdint>
#include <string>

namespace trader::order_lifecycle {

/// Days since 1970-01-01 of the UTC date of t (floor; negative before the epoch).
std::int64_t utc_day_number(ts_ns t);
/// "day/YYYY-MM-DD" of the UTC date of t.
std::string day_bucket_key(ts_ns t);
/// "week/YYYY-Www": ISO 8601 week of the UTC date of t (weeks start Monday; week 1 holds the
/// year's first Thursday, so 2027-01-01, a Friday, is in 2026-W53).
std::string week_bucket_key(ts_ns t);
/// "total".
inline constexpr const char* total_bucket_key = "total";

} // namespace trader::order_lifecycle
