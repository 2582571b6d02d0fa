#pragma once
// The decision-cycle clock: a nominal interval stretched by a random 0–10% (seeded, so a
// backtest replays the same schedule), and the cycle statistics the scheduler exposes
// (count, min/max/mean interval, overruns of the 45 s cycle budget). No CAF.

#include "runtime/result.hpp"

#include <cstdint>
#include <random>
#include <string>

namespace trader::scheduler {

/// Which way the jitter goes.
enum class jitter_mode {
  positive,   ///< interval × (1 + U[0, f]): never early (the default).
  symmetric,  ///< interval × (1 + U[-f, f]): [loop] jitter_pct's "plus or minus".
};

/// Cycle timing settings.
struct jitter_config {
  std::int64_t interval_ns = 60'000'000'000;      ///< Nominal interval, > 0.
  double jitter_fraction = 0.10;                  ///< f, 0..0.5.
  jitter_mode mode = jitter_mode::positive;
  std::uint64_t seed = 0x2477AD34ULL;           ///< PRNG seed; the daemon passes a random one.
  std::int64_t cycle_budget_ns = 45'000'000'000;  ///< A cycle running longer is an overrun.
};

/// Success when cfg is usable, else its problems (one line each). The budget must fit in
/// the shortest possible interval.
result<void, std::string> validate(const jitter_config& cfg);

/// Draws successive delays.
class jittered_interval {
public:
  explicit jittered_interval(const jitter_config& cfg);
  /// The delay before the next cycle, ns.
  std::int64_t next_delay_ns();
  /// The bounds next_delay_ns() stays within.
  std::int64_t min_delay_ns() const;
  std::int64_t max_delay_ns() const;

private:
  double uniform01();
  jitter_config cfg_;
  std::mt19937_64 rng_;
};

/// Cycle statistics; time is an argument (monotonic ns).
class cycle_stats {
public:
  explicit cycle_stats(std::int64_t cycle_budget_ns = 45'000'000'000) : budget_ns_(cycle_budget_ns) {}
  /// A cycle started at now; the interval from the previous start is recorded.
  void cycle_started(std::int64_t now_ns);
  /// The cycle started at started_ns finished at now; true if it overran the budget.
  bool cycle_finished(std::int64_t started_ns, std::int64_t now_ns);

  std::uint64_t count() const { return count_; }            ///< Cycles started.
  std::uint64_t intervals() const { return intervals_; }    ///< Intervals measured (count − 1).
  std::int64_t min_interval_ns() const { return intervals_ ? min_interval_ : 0; }
  std::int64_t max_interval_ns() const { return max_interval_; }
  double mean_interval_ns() const { return intervals_ ? sum_interval_ / static_cast<double>(intervals_) : 0.0; }
  std::uint64_t overruns() const { return overruns_; }       ///< Cycles longer than the budget.
  std::int64_t last_duration_ns() const { return last_duration_; }
  std::int64_t max_duration_ns() const { return max_duration_; }

private:
  std::int64_t budget_ns_;
  std::uint64_t count_ = 0, intervals_ = 0, overruns_ = 0;
  std::int64_t last_start_ = 0, min_interval_ = 0, max_interval_ = 0, last_duration_ = 0, max_duration_ = 0;
  double sum_interval_ = 0;
};

} // namespace trader::scheduler
