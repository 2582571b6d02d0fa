#pragma once
// Builders for the signal tests: bars and timestamps in minutes from a UTC midnight.

#include "actors/trading/signals/bar.hpp"

#include <cstddef>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

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

/// Bars of a 1-minute CSV (a header line, then time,open,high,low,close,volume) from its
/// data row `from` on, at most `count`, restamped minute by minute from day0 (UTC-aligned);
/// a row bar_from_doubles refuses is skipped.
inline std::vector<bar> read_minute_csv(const std::string& path, std::size_t from = 0,
                                        std::size_t count = std::numeric_limits<std::size_t>::max()) {
  std::vector<bar> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  for (std::size_t i = 0; std::getline(in, line) && out.size() < count; ++i) {
    if (i < from)
      continue;
    std::stringstream ls(line);
    std::string cell;
    double v[5];
    std::getline(ls, cell, ',');
    for (double& x : v) {
      std::getline(ls, cell, ',');
      x = std::stod(cell);
    }
    bar b;
    if (!bar_from_doubles(at_min(static_cast<std::int64_t>(out.size())), v[0], v[1], v[2], v[3], v[4],
                          granularity::one_minute, b))
      out.push_back(b);
  }
  return out;
}

} // namespace trader::signals::test
