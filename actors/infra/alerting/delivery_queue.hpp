#pragma once
// The delivery queue of alert notifications: retries with capped exponential backoff, a
// bounded queue, a dead-letter count. Thread-safe (the actor enqueues, a worker delivers).
// Time comes from a time_source. No CAF, no I/O.

#include "actors/infra/alerting/alert_engine.hpp"
#include "actors/infra/alerting/sink_payloads.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace trader::alerting {

/// How hard to try.
struct retry_policy {
  int max_attempts = 6;                                          ///< Including the first; then dead letter.
  std::chrono::nanoseconds initial_backoff = std::chrono::seconds(1);  ///< Before the first retry.
  double multiplier = 2.0;                                       ///< Backoff growth per retry.
  std::chrono::nanoseconds max_backoff = std::chrono::seconds(60);     ///< Cap on one backoff.
  std::size_t max_queue = 1000;                                  ///< Beyond: dead letter at once.
};

/// The wait before retry number `retry` (1 = first retry): initial × multiplier^(retry-1),
/// capped at max_backoff.
std::chrono::nanoseconds backoff_for(const retry_policy& p, int retry);

/// How one attempt went.
enum class delivery_outcome {
  delivered,          ///< 2xx.
  retryable_failure,  ///< Network error, timeout, 408, 429, 5xx.
  permanent_failure,  ///< Other 4xx (bad token, bad payload): retrying will not help.
};

/// One notification bound for one sink.
struct delivery {
  std::uint64_t id = 0;
  std::string sink;
  notification_kind kind = notification_kind::trigger;
  std::string fingerprint;
  outbound_request request;
  int attempts = 0;          ///< Attempts made so far.
  mono_ns next_attempt = 0;  ///< Not before this (monotonic).
  std::string last_error;
};

/// Counters for metrics (trader_alerting_deliveries_total{result}, dead letters).
struct delivery_stats {
  std::int64_t delivered = 0;
  std::int64_t retries = 0;       ///< Attempts after the first.
  std::int64_t dead_letters = 0;  ///< Given up on (max attempts, permanent failure, queue full).
};

/// FIFO of deliveries with per-item retry times.
class delivery_queue {
public:
  delivery_queue(const retry_policy& policy, const time_source& clock);

  /// Queues a first attempt due now; false (and a dead letter) when the queue is full.
  bool enqueue(delivery d);
  /// Removes and returns every delivery due now, oldest first.
  std::vector<delivery> take_due();
  /// What complete() did with a delivery.
  enum class fate { delivered, retry_scheduled, dead_lettered };
  /// Reports the attempt on d: delivered, re-queued with backoff, or dead-lettered.
  fate complete(delivery d, delivery_outcome outcome, std::string error = {});
  /// When the next queued delivery is due, or nullopt when empty.
  std::optional<mono_ns> next_due() const;
  /// Deliveries waiting (not in flight).
  std::size_t pending() const;
  /// Counters so far.
  delivery_stats stats() const;
  /// The most recent dead letters (up to 100), for `traderctl alert dead-letters`.
  std::vector<delivery> recent_dead_letters() const;

private:
  void dead_letter(delivery d);

  retry_policy policy_;
  const time_source& clock_;
  mutable std::mutex mtx_;
  std::deque<delivery> queue_;
  std::deque<delivery> dead_;
  delivery_stats stats_;
  std::uint64_t next_id_ = 1;
};

} // namespace trader::alerting
