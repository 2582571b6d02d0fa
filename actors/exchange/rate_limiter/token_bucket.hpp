#pragma once
// A token bucket in fixed point (micro-tokens) with time as an argument: no clock, no
// floating-point drift, so a test with a manual clock sees exact counts. No CAF.

#include <cstdint>

namespace trader::rate_limit {

/// Micro-tokens per token: rates and capacities are held as integers of this unit.
inline constexpr std::int64_t micro = 1'000'000;

/// Converts a (non-negative) token count to micro-tokens, rounding down.
std::int64_t to_micro(double tokens);

/// Refills continuously at rate tokens/s up to capacity. Starts full.
class token_bucket {
public:
  /// rate_per_s > 0 and capacity ≥ 1 token are the useful range; now is monotonic ns.
  token_bucket(double rate_per_s, double capacity, std::int64_t now_ns);

  /// Micro-tokens available at now (refills first; now before the last refill is ignored).
  std::int64_t available(std::int64_t now_ns);
  /// Takes amount micro-tokens if at least need micro-tokens are available (need ≥ amount:
  /// the difference is what the caller must leave in the bucket, e.g. a cancel reserve).
  bool try_take(std::int64_t now_ns, std::int64_t amount = micro, std::int64_t need = micro);
  /// Nanoseconds from now until need micro-tokens are available (0 if they already are).
  std::int64_t time_until(std::int64_t now_ns, std::int64_t need);
  /// Changes the refill rate from now on (tokens accrued so far are kept).
  void set_rate(double rate_per_s, std::int64_t now_ns);
  /// Empties the bucket (after a 429: the exchange says our budget is gone).
  void drain(std::int64_t now_ns);

  std::int64_t capacity() const { return capacity_; }
  /// Current refill rate in micro-tokens per second.
  std::int64_t rate() const { return rate_; }

private:
  void refill(std::int64_t now_ns);
  std::int64_t rate_;      ///< micro-tokens per second, ≥ 1
  std::int64_t capacity_;  ///< micro-tokens
  std::int64_t tokens_;    ///< micro-tokens
  std::int64_t last_ns_;   ///< time of the last refill
  std::int64_t carry_ = 0; ///< refill remainder (micro-token·ns) so no fraction is lost
};

} // namespace trader::rate_limit
