#pragma once
// Engine time from the caller's wall clock reading. The engine never reads a clock; the
// transport reads one and asks sim_clock what engine time that is.

#include "messages/time.hpp"

namespace trader::simex {

/// Maps wall time to engine time: real time, accelerated ×N, or stepped by a test.
class sim_clock {
public:
  enum class mode { real_time, accelerated, stepped };

  /// Engine time = wall time.
  static sim_clock real_time() { return sim_clock{mode::real_time, 0, 0, 1}; }
  /// Engine time starts at engine_origin when the wall reads wall_origin and runs factor× faster.
  static sim_clock accelerated(ts_ns engine_origin, ts_ns wall_origin, std::int64_t factor) {
    return sim_clock{mode::accelerated, engine_origin, wall_origin, factor < 1 ? 1 : factor};
  }
  /// Engine time moves only through step() / set().
  static sim_clock stepped(ts_ns start) { return sim_clock{mode::stepped, start, 0, 0}; }

  /// Engine time for a wall clock reading (ignored when stepped).
  ts_ns now(ts_ns wall_now) const {
    switch (mode_) {
      case mode::real_time: return wall_now;
      case mode::accelerated: return engine_origin_ + (wall_now - wall_origin_) * factor_;
      case mode::stepped: return engine_origin_;
    }
    return wall_now;
  }
  /// Stepped mode: advances engine time by dt.
  void step(ts_ns dt) { engine_origin_ += dt; }
  /// Stepped mode: sets engine time.
  void set(ts_ns t) { engine_origin_ = t; }
  mode current_mode() const { return mode_; }
  std::int64_t factor() const { return factor_; }

private:
  sim_clock(mode m, ts_ns engine_origin, ts_ns wall_origin, std::int64_t factor)
    : mode_(m), engine_origin_(engine_origin), wall_origin_(wall_origin), factor_(factor) {}

  mode mode_;
  ts_ns engine_origin_;
  ts_ns wall_origin_;
  std::int64_t factor_;
};

} // namespace trader::simex
