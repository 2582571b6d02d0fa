#include "actors/trading/signals/bar.hpp"

#include <cmath>
#include <numeric>

namespace trader::signals {

namespace {

struct granularity_name {
  granularity g;
  std::string_view name;
};

constexpr std::array<granularity_name, 8> granularity_names{{
  {granularity::one_minute, "ONE_MINUTE"},
  {granularity::five_minute, "FIVE_MINUTE"},
  {granularity::fifteen_minute, "FIFTEEN_MINUTE"},
  {granularity::thirty_minute, "THIRTY_MINUTE"},
  {granularity::one_hour, "ONE_HOUR"},
  {granularity::two_hour, "TWO_HOUR"},
  {granularity::six_hour, "SIX_HOUR"},
  {granularity::one_day, "ONE_DAY"},
}};

constexpr std::array<std::string_view, drop_reason_count> drop_reason_names{
  "non_positive_price", "non_finite_price", "high_below_low",  "open_close_outside_range",
  "negative_volume",    "misaligned_bucket", "duplicate_bucket", "out_of_order_bucket",
  "late_trade",         "partial_bucket",
};

// Largest magnitude a fixed<> can hold, with margin for rounding.
constexpr double max_fixed = 9.0e10;

bool representable(double v) { return std::isfinite(v) && std::fabs(v) < max_fixed; }

} // namespace

std::optional<granularity> parse_granularity(std::string_view n) {
  for (const auto& e : granularity_names)
    if (e.name == n)
      return e.g;
  return std::nullopt;
}

std::optional<granularity> granularity_from_seconds(std::int64_t s) {
  for (const auto& e : granularity_names)
    if (seconds(e.g) == s)
      return e.g;
  return std::nullopt;
}

std::string_view name(granularity g) {
  for (const auto& e : granularity_names)
    if (e.g == g)
      return e.name;
  return "UNKNOWN";
}

std::string_view name(drop_reason r) { return drop_reason_names[static_cast<std::size_t>(r)]; }

std::uint64_t drop_counts::total() const {
  return std::accumulate(by_reason.begin(), by_reason.end(), std::uint64_t{0});
}

std::optional<drop_reason> check_bar(const bar& b, granularity g) {
  if (b.open.units <= 0 || b.high.units <= 0 || b.low.units <= 0 || b.close.units <= 0)
    return drop_reason::non_positive_price;
  if (b.high < b.low)
    return drop_reason::high_below_low;
  if (b.open < b.low || b.open > b.high || b.close < b.low || b.close > b.high)
    return drop_reason::open_close_outside_range;
  if (b.volume.is_negative())
    return drop_reason::negative_volume;
  if (b.start % length_ns(g) != 0)
    return drop_reason::misaligned_bucket;
  return std::nullopt;
}

std::optional<drop_reason> bar_from_doubles(ts_ns start, double open, double high, double low,
                                            double close, double volume, granularity g, bar& out) {
  for (double p : {open, high, low, close}) {
    if (!representable(p))
      return drop_reason::non_finite_price;
  }
  if (!representable(volume))
    return drop_reason::non_finite_price;
  out = bar{start,
            price::from_double(open),
            price::from_double(high),
            price::from_double(low),
            price::from_double(close),
            size::from_double(volume)};
  return check_bar(out, g);
}

} // namespace trader::signals
