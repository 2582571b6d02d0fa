#include "tools/backtest/sim/event_loop.hpp"

#include <memory>

namespace trader::backtest {

void event_loop::at(ts_ns t, task f, int rank) {
  queue_.push(item{t < clock_.now() ? clock_.now() : t, rank, seq_++, std::move(f)});
}

void event_loop::every(ts_ns first, std::function<ts_ns(ts_ns)> next, task f, int rank) {
  auto shared = std::make_shared<std::pair<std::function<ts_ns(ts_ns)>, task>>(std::move(next), std::move(f));
  auto step = std::make_shared<task>();
  std::weak_ptr<task> weak = step;
  *step = [this, shared, weak, rank](ts_ns now) {
    shared->second(now);
    const ts_ns dt = shared->first(now);
    if (auto self = weak.lock(); self && dt > 0)
      at(now + dt, *self, rank);
  };
  // The first copy keeps `step` alive; each rescheduled copy captures the same closure.
  at(first, [step](ts_ns now) { (*step)(now); }, rank);
  keep_.push_back(step);
}

std::uint64_t event_loop::run_until(ts_ns end) {
  std::uint64_t n = 0;
  stopped_ = false;
  while (!queue_.empty() && !stopped_) {
    if (queue_.top().t > end)
      break;
    item it = queue_.top();
    queue_.pop();
    clock_.advance_to(it.t);
    it.f(it.t);
    ++n;
  }
  dispatched_ += n;
  if (!stopped_)
    clock_.advance_to(end);
  return n;
}

} // namespace trader::backtest
