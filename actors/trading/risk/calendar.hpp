#pragma once
// UTC calendar boundaries the loss limits and pacing count in: the UTC day and the ISO
// week (Monday 00:00 UTC to the next Monday). No CAF.

#include "messages/time.hpp"

#include <cstdint>
#include <string>

namespace trader::risk {

inline constexpr std::int64_t ns_per_day = 86'400 * ns_per_s;

/// Days since 1970-01-01 of the UTC day holding t (floor, also before 1970).
std::int64_t utc_day(ts_ns t);
/// 00:00 UTC of the day holding t.
ts_ns day_start(ts_ns t);
/// 00:00 UTC of the day after the one holding t.
ts_ns next_day_start(ts_ns t);
/// Monday 00:00 UTC of the ISO week holding t.
ts_ns week_start(ts_ns t);
/// Monday 00:00 UTC of the ISO week after the one holding t.
ts_ns next_week_start(ts_ns t);
/// "2026-12-05".
std::string day_label(ts_ns t);
/// ISO 8601 week of t, "2026-W49" (the ISO year may differ from the calendar year).
std::string iso_week_label(ts_ns t);

} // namespace trader::risk
