#include "actors/exchange/rate_limiter/token_bucket.hpp"

#include <algorithm>
#include <cmath>

namespace trader::rate_limit {

namespace {
constexpr std::int64_t ns_per_s = 1'000'000'000;
} // namespace

std::int64_t to_micro(double tokens) {
  if (!(tokens > 0))
    return 0;
  return static_cast<std::int64_t>(std::floor(tokens * static_cast<double>(micro) + 1e-6));
}

token_bucket::token_bucket(double rate_per_s, double capacity, std::int64_t now_ns)
  : rate_(std::max<std::int64_t>(1, to_micro(rate_per_s))),
    capacity_(std::max<std::int64_t>(1, to_micro(capacity))),
    tokens_(capacity_),
    last_ns_(now_ns) {}

void token_bucket::refill(std::int64_t now_ns) {
  if (now_ns <= last_ns_)
    return;
  auto elapsed = now_ns - last_ns_;
  last_ns_ = now_ns;
  if (tokens_ >= capacity_) {
    carry_ = 0;
    return;
  }
  // 128-bit: an hour of elapsed ns times a rate of 10^9 micro-tokens/s overflows 64 bits.
  __int128 acc = static_cast<__int128>(elapsed) * rate_ + carry_;
  __int128 add = acc / ns_per_s;
  carry_ = static_cast<std::int64_t>(acc % ns_per_s);
  if (add >= capacity_ - tokens_) {
    tokens_ = capacity_;
    carry_ = 0;
  } else {
    tokens_ += static_cast<std::int64_t>(add);
  }
}

std::int64_t token_bucket::available(std::int64_t now_ns) {
  refill(now_ns);
  return tokens_;
}

bool token_bucket::try_take(std::int64_t now_ns, std::int64_t amount, std::int64_t need) {
  refill(now_ns);
  if (tokens_ < std::max(amount, need))
    return false;
  tokens_ -= amount;
  return true;
}

std::int64_t token_bucket::time_until(std::int64_t now_ns, std::int64_t need) {
  refill(now_ns);
  if (need > capacity_)
    need = capacity_;  // never reachable beyond a full bucket: wait for full
  if (tokens_ >= need)
    return 0;
  __int128 missing = static_cast<__int128>(need - tokens_) * ns_per_s - carry_;
  return static_cast<std::int64_t>((missing + rate_ - 1) / rate_);  // round up: never early
}

void token_bucket::set_rate(double rate_per_s, std::int64_t now_ns) {
  refill(now_ns);
  rate_ = std::max<std::int64_t>(1, to_micro(rate_per_s));
  carry_ = 0;
}

void token_bucket::drain(std::int64_t now_ns) {
  refill(now_ns);
  tokens_ = 0;
  carry_ = 0;
}

} // namespace trader::rate_limit
