#pragma once
// Bars (OHLCV candles) as the signal side stores them, granularities aligned to UTC
// boundaries, and the input checks every bar and trade passes before it is stored. No CAF.

#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace trader::signals {

/// One OHLCV bar of a product at a granularity (the series knows both): 48 bytes, exact
/// fixed-point prices. A bar covers [start, start + granularity).
struct bar {
  ts_ns start = 0;  ///< Bucket start, UTC, a multiple of the granularity.
  price open;       ///< First trade price of the bucket.
  price high;       ///< Highest trade price.
  price low;        ///< Lowest trade price.
  price close;      ///< Last trade price.
  size volume;      ///< Base-asset volume traded in the bucket (0 for a filled empty bucket).

  bool operator==(const bar&) const = default;
};

/// Bucket sizes Coinbase serves (get_candles `granularity`); each divides a UTC day.
enum class granularity : std::int32_t {
  one_minute = 60,
  five_minute = 300,
  fifteen_minute = 900,
  thirty_minute = 1800,
  one_hour = 3600,
  two_hour = 7200,
  six_hour = 21600,
  one_day = 86400,
};

/// Seconds per bucket.
constexpr std::int64_t seconds(granularity g) { return static_cast<std::int64_t>(g); }
/// Nanoseconds per bucket.
constexpr ts_ns length_ns(granularity g) { return seconds(g) * ns_per_s; }
/// Start of the UTC-aligned bucket that holds t (floor, also for t < 0).
constexpr ts_ns bucket_start(ts_ns t, granularity g) {
  const ts_ns len = length_ns(g);
  const ts_ns q = t / len;
  return (t % len < 0 ? q - 1 : q) * len;
}
/// The end (exclusive) of the bucket starting at `start`.
constexpr ts_ns bucket_end(ts_ns start, granularity g) { return start + length_ns(g); }

/// Coinbase's name ("FIVE_MINUTE") to a granularity; nullopt when unknown.
std::optional<granularity> parse_granularity(std::string_view name);
/// A bucket length in seconds to a granularity; nullopt when Coinbase has no such size.
std::optional<granularity> granularity_from_seconds(std::int64_t s);
/// Coinbase's name of g, e.g. "ONE_HOUR".
std::string_view name(granularity g);

/// Why an input bar or trade was dropped. Stable names (name()) label the drop counters.
enum class drop_reason : std::uint8_t {
  non_positive_price,        ///< A price ≤ 0.
  non_finite_price,          ///< NaN, ±inf, or a value fixed-point cannot hold.
  high_below_low,            ///< high < low.
  open_close_outside_range,  ///< open or close outside [low, high].
  negative_volume,           ///< volume (or trade size) < 0.
  misaligned_bucket,         ///< start is not a multiple of the granularity.
  duplicate_bucket,          ///< A bar for this bucket is already stored.
  out_of_order_bucket,       ///< Older than the newest stored bar (and not a backfill).
  late_trade,                ///< A trade (or smaller bar) for a bucket already closed.
  partial_bucket,            ///< A bucket that began before we listened or lost a part.
};
/// Number of drop_reason values.
inline constexpr std::size_t drop_reason_count = 10;
/// Stable snake_case name of r ("high_below_low").
std::string_view name(drop_reason r);

/// Dropped inputs counted by reason.
struct drop_counts {
  std::array<std::uint64_t, drop_reason_count> by_reason{};  ///< Indexed by drop_reason.

  /// Counts one drop; returns true when it is the first of its reason (log it once).
  bool add(drop_reason r) { return by_reason[static_cast<std::size_t>(r)]++ == 0; }
  /// Drops of reason r so far.
  std::uint64_t operator[](drop_reason r) const { return by_reason[static_cast<std::size_t>(r)]; }
  /// Drops of every reason.
  std::uint64_t total() const;
};

/// Checks a bar's values: positive prices, high ≥ low, open and close within [low, high],
/// volume ≥ 0, start aligned to g. nullopt when valid, else the first failed check.
std::optional<drop_reason> check_bar(const bar& b, granularity g);

/// Builds a bar from floating-point values (CSV files, backtests), then check_bar().
/// A NaN, infinite or out-of-range value gives non_finite_price (non_positive_price and
/// negative_volume keep their own reasons).
std::optional<drop_reason> bar_from_doubles(ts_ns start, double open, double high, double low,
                                            double close, double volume, granularity g, bar& out);

/// A message candle as a bar (product and granularity stay with the caller).
inline bar to_bar(const candle& c) { return bar{c.start, c.open, c.high, c.low, c.close, c.volume}; }

} // namespace trader::signals
