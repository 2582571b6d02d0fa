#pragma once
// Runs alert_dispatcher::pump() on its own thread, so posting to a slow or dead sink never
// blocks an actor: it wakes when notified (after submit()) or when the next retry is due.
// No CAF. The alerting actor owns one next to its dispatcher.

#include "actors/infra/alerting/alert_dispatcher.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace trader::alerting {

/// The dispatcher's delivery thread. The dispatcher's log_fn is then called from this
/// thread too, so it must be thread-safe.
class delivery_worker {
public:
  /// clock must be the dispatcher's; request_timeout bounds each POST (and so stop()).
  delivery_worker(alert_dispatcher& dispatcher, const time_source& clock,
                  std::chrono::milliseconds request_timeout = std::chrono::seconds(10));
  ~delivery_worker();
  delivery_worker(const delivery_worker&) = delete;
  delivery_worker& operator=(const delivery_worker&) = delete;

  /// Starts the thread; idempotent.
  void start();
  /// Wakes the thread: call after dispatcher.submit().
  void notify();
  /// Lets the in-flight POST finish, then joins; queued deliveries stay queued. Idempotent.
  void stop();

private:
  void run();

  alert_dispatcher& dispatcher_;
  const time_source& clock_;
  std::chrono::milliseconds timeout_;
  std::mutex mtx_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool notified_ = false;
  std::thread thread_;
};

} // namespace trader::alerting
