#pragma once
// Capped exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff
// And Jitter"): before retry n (n = 0 after the first failure) sleep a uniformly random time
// in [0, min(cap, base·2^n)]. Full jitter spreads clients that failed together; the cap keeps
// one call's worst case bounded. A Retry-After hint from the exchange is a floor. No CAF.

#include <chrono>
#include <cstdint>
#include <functional>

namespace trader::exchange {

/// How often and how patiently an idempotent call is retried.
struct retry_policy {
  int max_attempts = 4;                    ///< total attempts, first one included (≥ 1)
  std::chrono::milliseconds base{200};     ///< window of the first retry
  std::chrono::milliseconds cap{30'000};   ///< no window is wider than this (30 s)
};

/// The delay schedule of one call. The random source is injectable (tests pin it).
class backoff {
public:
  /// Uniform in [0, 1).
  using uniform_fn = std::function<double()>;

  explicit backoff(retry_policy policy, uniform_fn uniform = {});

  /// min(cap, base·2^retry): the upper bound of the jitter window before retry `retry`.
  std::chrono::milliseconds window(int retry) const;
  /// The sleep before retry `retry`: uniform in [0, window(retry)], at least the exchange's
  /// retry_after_ms (when ≥ 0) but never above cap.
  std::chrono::milliseconds delay(int retry, std::int64_t retry_after_ms = -1) const;
  /// True when `attempts_made` attempts used the whole budget.
  bool exhausted(int attempts_made) const { return attempts_made >= policy_.max_attempts; }
  const retry_policy& policy() const { return policy_; }

private:
  retry_policy policy_;
  uniform_fn uniform_;
};

} // namespace trader::exchange
