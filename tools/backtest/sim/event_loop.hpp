#pragma once
// The backtest's clock and its one thread: a virtual clock that moves only when the loop
// dispatches the next event, and a queue of timed events run in (time, scheduling order).
// Nothing sleeps: a year of cycles, timers and protective exits runs as fast as the CPU
// goes, and the same schedule always runs in the same order. No CAF.

#include "messages/time.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

namespace trader::backtest {

/// Simulated time; advanced only by the event loop.
class virtual_clock {
public:
  explicit virtual_clock(ts_ns start = 0) : now_(start) {}
  ts_ns now() const { return now_; }
  /// Moves to t; never backwards (an earlier t keeps the current time).
  void advance_to(ts_ns t) {
    if (t > now_)
      now_ = t;
  }

private:
  ts_ns now_;
};

/// Timed events on one thread. An event scheduled for a time already passed runs at the
/// current time, after the events already due (no event ever runs in the past). Events due
/// at the same time run by rank (lower first), then in scheduling order.
class event_loop {
public:
  using task = std::function<void(ts_ns now)>;

  explicit event_loop(ts_ns start = 0) : clock_(start) {}

  /// Runs f at t (or now, when t is past).
  void at(ts_ns t, task f, int rank = 0);
  /// Runs f at first and then again after each interval next(now) returns (≤ 0 stops it);
  /// every run has `rank`.
  void every(ts_ns first, std::function<ts_ns(ts_ns now)> next, task f, int rank = 0);
  /// Dispatches every event due at or before `end` in order; returns the number run. The
  /// clock ends at `end` (or at the last event when the queue ran dry earlier and end < 0).
  std::uint64_t run_until(ts_ns end);
  /// Stops run_until() after the current event.
  void stop() { stopped_ = true; }

  ts_ns now() const { return clock_.now(); }
  const virtual_clock& clock() const { return clock_; }
  std::size_t pending() const { return queue_.size(); }
  std::uint64_t dispatched() const { return dispatched_; }

private:
  struct item {
    ts_ns t;
    int rank;
    std::uint64_t seq;
    task f;
  };
  struct later {
    bool operator()(const item& a, const item& b) const {
      if (a.t != b.t)
        return a.t > b.t;
      return a.rank != b.rank ? a.rank > b.rank : a.seq > b.seq;
    }
  };

  virtual_clock clock_;
  std::priority_queue<item, std::vector<item>, later> queue_;
  std::uint64_t seq_ = 0;
  std::uint64_t dispatched_ = 0;
  bool stopped_ = false;
  std::vector<std::shared_ptr<task>> keep_;  ///< Repeating events' closures.
};

} // namespace trader::backtest
