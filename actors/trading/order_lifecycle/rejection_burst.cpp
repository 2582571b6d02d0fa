#include "actors/trading/order_lifecycle/rejection_burst.hpp"

namespace trader::order_lifecycle {

void rejection_burst::expire(ts_ns now) {
  while (!times_.empty() && times_.front() <= now - window_ns_)
    times_.pop_front();
}

rejection_burst::edge rejection_burst::on_rejection(ts_ns t) {
  expire(t);
  times_.push_back(t);
  if (!active_ && times_.size() >= threshold_) {
    active_ = true;
    return edge::raised;
  }
  return edge::none;
}

rejection_burst::edge rejection_burst::on_time(ts_ns now) {
  expire(now);
  if (active_ && times_.size() < threshold_) {
    active_ = false;
    return edge::resolved;
  }
  return edge::none;
}

} // namespace trader::order_lifecycle
