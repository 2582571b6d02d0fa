#pragma once
// RFC 3339 rendering and parsing of engine time (UTC nanoseconds), without the C library's
// time zone machinery.

#include "messages/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace trader::simex {

/// Appends "2026-08-09T21:05:48.228568804Z" with frac_digits (0, 3, 6 or 9) decimals.
void append_rfc3339(std::string& out, ts_ns t, int frac_digits = 9);
/// append_rfc3339 into a new string.
std::string rfc3339(ts_ns t, int frac_digits = 9);
/// Parses "YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)"; nullopt when malformed.
std::optional<ts_ns> parse_rfc3339(std::string_view text);
/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

} // namespace trader::simex
