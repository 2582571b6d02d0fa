#pragma once
// Builders for the signal tests: bars and timestamps in minutes from a UTC midnight.

#include "actors/trading/signals/bar.hpp"

namespace trader::signals::test {

/// 2022-01-01T00:00:00Z in ns: a UTC day boundary.
inline constexpr ts_ns day0 = 1'640'995'200LL * ns_per_s;
/// day0 + m minutes.
constexpr ts_ns at_min(std::int64_t m) { return day0 + m * 60 * ns_per_s; }
/// day0 + s seconds.
constexpr ts_ns at_s(std::int64_t s) { return day0 + s * ns_per_s; }
/// A price from a double.
inline price px(double v) { return price::from_double(v); }
/// A size from a double.
inline size qty(double v) { return size::from_double(v); }
/// A bar starting at minute m of day0.
inline bar mk(std::int64_t m, double o, double h, double l, double c, double v = 1.0) {
  return bar{at_min(m), px(o), px(h), px(l), px(c), qty(v)};
}
/// A flat bar at minute m with close c.
inline bar flat(std::int64_t m, double c, double v = 1.0) { return mk(m, c, c, c, c, v); }

} // namespace trader::signals::test
