#pragma once
// Closed bars of one product at one granularity, oldest first, in fixed capacity. Only
// closed bars ever enter a series: the bar being formed lives in bar_builder and is never
// handed out as a series element, so nothing that reads a series can look ahead. No CAF.

#include "actors/trading/signals/bar.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace trader::signals {

/// Missing buckets [from, to): what the caller should backfill over REST.
struct gap {
  ts_ns from = 0;  ///< Start of the first missing bucket.
  ts_ns to = 0;    ///< Start of the bar after the gap (exclusive end).
  bool operator==(const gap&) const = default;
};

/// Outcome of append().
struct append_result {
  bool stored = false;                 ///< The bar is now the newest of the series.
  std::optional<drop_reason> dropped;  ///< Why not, when not stored.
  std::int64_t missing_before = 0;     ///< Buckets missing between the previous newest and this bar.
};

/// Outcome of merge().
struct merge_result {
  std::size_t added = 0;       ///< New buckets stored.
  std::size_t duplicates = 0;  ///< Buckets already stored (the stored bar is kept).
  std::size_t too_old = 0;     ///< Older than the capacity window; not stored.
  std::size_t dropped = 0;     ///< Invalid bars (counted by reason in drops()).
  std::size_t gaps = 0;        ///< Gaps in the series after the merge.
};

/// When a series may be evaluated. Defaults: see docs/signals.md.
struct freshness_policy {
  std::int64_t max_stale_intervals = 3;  ///< Blocked when the newest closed bar is more than this many intervals old.
  std::size_t min_bars = 1;              ///< Blocked (warming_up) with fewer closed bars.
  bool block_on_gap = true;              ///< Blocked while a gap is inside the series.
};

/// Why a series is not evaluated; `none` when it may be.
enum class series_block : std::uint8_t { none, no_bars, warming_up, stale, gap };
/// Stable name of b ("stale").
std::string_view name(series_block b);

/// A series' verdict for the triggers: evaluate, or blocked with a reason for audit.
struct series_status {
  series_block block = series_block::none;  ///< none = may be evaluated.
  std::string reason;                       ///< "stale: newest closed bar 7 intervals behind (limit 3)".
  bool blocked() const { return block != series_block::none; }
};

/// A fixed-capacity series of closed bars; the oldest bar goes when a new one comes in.
/// Storage is one contiguous buffer of capacity + capacity/4 bars, compacted when the end is
/// reached (amortised O(1)), so bars() is a plain span: 60 bytes per stored bar.
class candle_series {
public:
  /// An empty series of granularity g holding at most `capacity` (≥ 1) bars.
  candle_series(granularity g, std::size_t capacity);

  granularity gran() const { return gran_; }               ///< Bucket size.
  std::size_t capacity() const { return capacity_; }       ///< Most bars kept.
  std::size_t size() const { return end_ - begin_; }       ///< Bars stored.
  bool empty() const { return begin_ == end_; }            ///< No bar yet.
  /// The closed bars, oldest first. Invalidated by the next append or merge.
  std::span<const bar> bars() const { return {buf_.data() + begin_, size()}; }
  /// The newest `n` closed bars (all if fewer), oldest first.
  std::span<const bar> last(std::size_t n) const;
  /// The newest closed bar; nullopt when empty.
  std::optional<bar> newest() const;
  /// The stored bar of the bucket starting at `start`, if any.
  std::optional<bar> find(ts_ns start) const;

  /// Appends a closed bar newer than the newest; invalid, duplicate and older bars are
  /// dropped and counted. A skipped bucket is reported (missing_before) and kept as a gap.
  append_result append(const bar& b);
  /// Merges a REST page (any order, usually newest last): invalid bars dropped and counted,
  /// buckets already stored kept as stored, new ones inserted in order; the newest
  /// `capacity` bars stay. Closes the gaps the page covers.
  merge_result merge(std::span<const bar> page);

  /// Gaps between stored bars, oldest first.
  std::vector<gap> gaps() const;
  /// Whether the series may be evaluated at `now` under policy p, and if not, why.
  series_status status(ts_ns now, const freshness_policy& p) const;
  /// Dropped inputs by reason.
  const drop_counts& drops() const { return drops_; }
  /// Bytes of bar storage per stored bar at full capacity (the bench's candle_bytes_per_bar).
  double bytes_per_bar() const;
  /// Changes with every change to the stored bars and never repeats within the process (not
  /// even for another series at the same address), so equal stamps mean the same bars: what
  /// a result computed from bars() may be cached under.
  std::uint64_t stamp() const { return stamp_; }

private:
  void push(const bar& b);
  std::size_t count_gaps() const;

  granularity gran_;
  std::size_t capacity_;
  std::vector<bar> buf_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::size_t gap_count_ = 0;
  drop_counts drops_;
  std::uint64_t stamp_;
};

} // namespace trader::signals
