#pragma once
// One clock abstraction: wall UTC for records, monotonic for durations and timeouts.
// Injectable so tests and backtest control time. No CAF here (actors use CAF's clock for
// timers and this for timestamps).

#include "messages/time.hpp"

#include <atomic>
#include <string>

namespace trader {

/// Where time comes from. Implementations must be thread-safe.
class time_source {
public:
  virtual ~time_source() = default;
  /// Wall clock, UTC nanoseconds since the epoch (may jump when NTP steps the clock).
  virtual ts_ns wall_now() const = 0;
  /// Monotonic nanoseconds (never goes backwards); only differences are meaningful.
  virtual mono_ns mono_now() const = 0;
};

/// The real clocks: CLOCK_REALTIME and CLOCK_MONOTONIC.
class system_time_source final : public time_source {
public:
  ts_ns wall_now() const override;
  mono_ns mono_now() const override;
  /// The process-wide instance.
  static const system_time_source& instance();
};

/// A clock that moves only when told; for tests and backtest.
class manual_time_source final : public time_source {
public:
  explicit manual_time_source(ts_ns wall_start = 1'700'000'000 * ns_per_s, mono_ns mono_start = 0)
    : wall_(wall_start), mono_(mono_start) {}
  ts_ns wall_now() const override { return wall_.load(); }
  mono_ns mono_now() const override { return mono_.load(); }
  /// Moves both clocks forward by d nanoseconds (d ≥ 0).
  void advance(std::int64_t d) {
    wall_ += d;
    mono_ += d;
  }
  /// Sets only the wall clock (simulates an NTP step); monotonic is untouched.
  void set_wall(ts_ns t) { wall_ = t; }

private:
  std::atomic<ts_ns> wall_;
  std::atomic<mono_ns> mono_;
};

/// True when the wall clock is the stepped test hook's (TRADER_TEST_HOOKS=1 and
/// TRADER_TEST_WALL_CLOCK=FILE, runtime/clock.cpp): time moves only when a harness moves it,
/// so what runs on a simulated schedule (the decision cycle) waits for the harness.
bool wall_clock_hooked();

/// "2026-11-21T17:03:04.123456789Z" (RFC 3339, UTC, nanoseconds).
std::string format_rfc3339(ts_ns t);
/// "2026-11-21T17:03:04.123Z" style with millisecond precision, as Coinbase writes times.
std::string format_rfc3339_ms(ts_ns t);
/// Parses RFC 3339 with 'Z' or a ±hh:mm offset and 0–9 fractional digits; false if malformed
/// or outside what ts_ns can hold (years before 1678 or after 2261).
bool parse_rfc3339(std::string_view text, ts_ns& out);
/// UTC day number (days since the epoch) of t; used for daily PnL buckets and log rotation.
std::int64_t utc_day(ts_ns t);
/// "2026-11-21" for t.
std::string utc_date(ts_ns t);

} // namespace trader
