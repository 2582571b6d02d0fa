#include "actors/infra/alerting/delivery_worker.hpp"

namespace trader::alerting {

delivery_worker::delivery_worker(alert_dispatcher& dispatcher, const time_source& clock,
                                 std::chrono::milliseconds request_timeout)
  : dispatcher_(dispatcher), clock_(clock), timeout_(request_timeout) {}

delivery_worker::~delivery_worker() { stop(); }

void delivery_worker::start() {
  std::lock_guard<std::mutex> lock(mtx_);
  if (thread_.joinable())
    return;
  stop_ = false;
  thread_ = std::thread([this] { run(); });
}

void delivery_worker::notify() {
  {
    std::lock_guard<std::mutex> lock(mtx_);
    notified_ = true;
  }
  cv_.notify_one();
}

void delivery_worker::stop() {
  {
    std::lock_guard<std::mutex> lock(mtx_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable())
    thread_.join();
}

void delivery_worker::run() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mtx_);
      if (stop_)
        return;
      notified_ = false;
    }
    dispatcher_.pump(timeout_);
    auto next = dispatcher_.queue().next_due();
    std::unique_lock<std::mutex> lock(mtx_);
    auto wake = [this] { return stop_ || notified_; };
    if (!next) {
      cv_.wait(lock, wake);
      continue;
    }
    auto wait = *next - clock_.mono_now();
    if (wait > 0)
      cv_.wait_for(lock, std::chrono::nanoseconds(wait), wake);
  }
}

} // namespace trader::alerting
