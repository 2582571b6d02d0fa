#pragma once
// The order_rejection_burst rule: `threshold` exchange rejections within `window` raise the
// alert once; it resolves when the window holds fewer than threshold again. No CAF.

#include "messages/time.hpp"

#include <cstdint>
#include <deque>

namespace trader::order_lifecycle {

class rejection_burst {
public:
  /// threshold ≥ 1, window_ns > 0.
  rejection_burst(std::uint32_t threshold = 5, std::int64_t window_ns = 60 * ns_per_s)
    : threshold_(threshold < 1 ? 1 : threshold), window_ns_(window_ns > 0 ? window_ns : ns_per_s) {}

  enum class edge : std::uint8_t { none, raised, resolved };
  /// An order the exchange rejected at t. raised: the burst starts now.
  edge on_rejection(ts_ns t);
  /// Time passes (the tick). resolved: the burst is over.
  edge on_time(ts_ns now);
  bool active() const { return active_; }
  std::size_t in_window() const { return times_.size(); }

private:
  void expire(ts_ns now);
  std::uint32_t threshold_;
  std::int64_t window_ns_;
  std::deque<ts_ns> times_;
  bool active_ = false;
};

} // namespace trader::order_lifecycle
