#pragma once
// Builds the bars of one granularity from trades (1-minute bars from market_trades) or from
// the closed bars of a smaller granularity (5 m, 15 m, 1 h, 1 d from 1 m), aligned to UTC.
// A bucket is closed only when its interval has ended at the `now` given to close_until();
// the forming bucket is visible only through forming(). No CAF.

#include "actors/trading/signals/bar.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace trader::signals {

/// How a builder treats buckets without input. Defaults: see docs/signals.md.
struct builder_options {
  /// A bucket without trades becomes a flat bar (o = h = l = c = previous close, volume 0),
  /// so the series stays continuous on a quiet market; a missing smaller bar then means lost
  /// data and makes the larger bucket partial.
  bool fill_empty = true;
  /// At most this many consecutive empty buckets are filled; a longer silence is a gap (the
  /// feed is probably down) for the caller to backfill. 0..100000.
  std::int64_t max_empty_fill = 60;
};

/// One granularity's bucket accumulator for one product.
class bar_builder {
public:
  /// A builder of g-bars that has not started listening yet.
  explicit bar_builder(granularity g, builder_options o = {});

  granularity gran() const { return gran_; }  ///< Bucket size built.

  /// Starts (or restarts after a reconnect) listening at `now`: the bucket holding now began
  /// before we listened and is never emitted (partial_bucket); no filling across the restart.
  void reset(ts_ns now);
  /// Adds a trade. Dropped: price ≤ 0, size < 0, or a bucket already closed (late_trade).
  /// Without reset() first, the first input starts the builder at its own time.
  std::optional<drop_reason> add_trade(price px, size qty, ts_ns t);
  /// Adds a closed bar of the smaller granularity `from` (which must divide gran()).
  std::optional<drop_reason> add_bar(const bar& b, granularity from);
  /// Closes every bucket that ended at or before `now`; appends the closed bars to `out`
  /// oldest first and returns how many.
  std::size_t close_until(ts_ns now, std::vector<bar>& out);
  /// The bucket being formed, when it has input. Never a closed bar: not for decisions.
  std::optional<bar> forming() const;
  /// Dropped inputs and partial buckets by reason.
  const drop_counts& drops() const { return drops_; }

private:
  void start_at(ts_ns t);
  void roll_to(ts_ns bucket);
  void finish_current();
  void fold(const bar& b);

  granularity gran_;
  builder_options opt_;
  bool started_ = false;
  ts_ns since_ = 0;
  ts_ns cur_start_ = 0;
  bool cur_has_ = false;
  bool cur_partial_ = false;
  bar cur_;
  ts_ns next_sub_ = 0;
  std::optional<price> last_close_;
  std::int64_t empty_run_ = 0;
  std::vector<bar> ready_;
  drop_counts drops_;
};

} // namespace trader::signals
