#include "actors/exchange/coinbase/backoff.hpp"

#include <algorithm>
#include <memory>
#include <random>

namespace trader::exchange {

namespace {

backoff::uniform_fn default_uniform() {
  // One generator per backoff, seeded from the OS: retries of different actors must not
  // march in step.
  auto gen = std::make_shared<std::mt19937_64>(std::random_device{}());
  return [gen] { return std::uniform_real_distribution<double>(0.0, 1.0)(*gen); };
}

} // namespace

backoff::backoff(retry_policy policy, uniform_fn uniform)
  : policy_(policy), uniform_(uniform ? std::move(uniform) : default_uniform()) {
  policy_.max_attempts = std::max(1, policy_.max_attempts);
}

std::chrono::milliseconds backoff::window(int retry) const {
  auto cap = policy_.cap.count();
  auto w = policy_.base.count();
  for (int i = 0; i < retry && w < cap; ++i)  // doubling stops at the cap: no overflow
    w *= 2;
  return std::chrono::milliseconds{std::min(w, cap)};
}

std::chrono::milliseconds backoff::delay(int retry, std::int64_t retry_after_ms) const {
  auto w = static_cast<double>(window(retry).count());
  auto u = std::clamp(uniform_(), 0.0, 1.0);
  auto d = static_cast<std::int64_t>(u * w);
  if (retry_after_ms >= 0)
    d = std::max(d, retry_after_ms);
  return std::chrono::milliseconds{std::min<std::int64_t>(d, policy_.cap.count())};
}

} // namespace trader::exchange
