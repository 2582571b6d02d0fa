#include "actors/infra/alerting/delivery_queue.hpp"

#include <algorithm>
#include <cmath>

namespace trader::alerting {

namespace {

constexpr std::size_t max_dead_kept = 100;

} // namespace

std::chrono::nanoseconds backoff_for(const retry_policy& p, int retry) {
  if (retry < 1)
    return std::chrono::nanoseconds(0);
  double ns = static_cast<double>(p.initial_backoff.count()) * std::pow(p.multiplier, retry - 1);
  double cap = static_cast<double>(p.max_backoff.count());
  return std::chrono::nanoseconds(static_cast<std::int64_t>(std::min(ns, cap)));
}

delivery_queue::delivery_queue(const retry_policy& policy, const time_source& clock) : policy_(policy), clock_(clock) {}

bool delivery_queue::enqueue(delivery d) {
  std::lock_guard<std::mutex> lock(mtx_);
  d.id = next_id_++;
  d.next_attempt = clock_.mono_now();
  if (queue_.size() >= policy_.max_queue) {
    d.last_error = "delivery queue full";
    dead_letter(std::move(d));
    return false;
  }
  queue_.push_back(std::move(d));
  return true;
}

std::vector<delivery> delivery_queue::take_due() {
  std::lock_guard<std::mutex> lock(mtx_);
  auto now = clock_.mono_now();
  std::vector<delivery> out;
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->next_attempt <= now) {
      out.push_back(std::move(*it));
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

delivery_queue::fate delivery_queue::complete(delivery d, delivery_outcome outcome, std::string error) {
  std::lock_guard<std::mutex> lock(mtx_);
  ++d.attempts;
  if (d.attempts > 1)
    ++stats_.retries;
  if (outcome == delivery_outcome::delivered) {
    ++stats_.delivered;
    return fate::delivered;
  }
  d.last_error = std::move(error);
  if (outcome == delivery_outcome::permanent_failure || d.attempts >= policy_.max_attempts) {
    dead_letter(std::move(d));
    return fate::dead_lettered;
  }
  d.next_attempt = clock_.mono_now() + backoff_for(policy_, d.attempts).count();
  queue_.push_back(std::move(d));
  return fate::retry_scheduled;
}

std::optional<mono_ns> delivery_queue::next_due() const {
  std::lock_guard<std::mutex> lock(mtx_);
  if (queue_.empty())
    return std::nullopt;
  auto it = std::min_element(queue_.begin(), queue_.end(),
                             [](const auto& a, const auto& b) { return a.next_attempt < b.next_attempt; });
  return it->next_attempt;
}

std::size_t delivery_queue::pending() const {
  std::lock_guard<std::mutex> lock(mtx_);
  return queue_.size();
}

delivery_stats delivery_queue::stats() const {
  std::lock_guard<std::mutex> lock(mtx_);
  return stats_;
}

std::vector<delivery> delivery_queue::recent_dead_letters() const {
  std::lock_guard<std::mutex> lock(mtx_);
  return {dead_.begin(), dead_.end()};
}

void delivery_queue::dead_letter(delivery d) {
  ++stats_.dead_letters;
  dead_.push_back(std::move(d));
  if (dead_.size() > max_dead_kept)
    dead_.pop_front();
}

} // namespace trader::alerting
