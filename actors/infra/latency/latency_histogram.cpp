#include "actors/infra/latency/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace trader::latency {

std::size_t latency_histogram::bucket_of(std::int64_t ns) {
  if (ns < (std::int64_t{1} << min_exponent))
    return 0;
  auto v = static_cast<std::uint64_t>(ns);
  int e = 63 - std::countl_zero(v);
  if (e >= max_exponent)
    return bucket_count - 1;
  auto sub = (v >> (e - sub_bits)) & ((1u << sub_bits) - 1);
  return 1 + static_cast<std::size_t>(e - min_exponent) * (1u << sub_bits) + sub;
}

std::int64_t latency_histogram::upper_bound(std::size_t bucket) {
  if (bucket == 0)
    return (std::int64_t{1} << min_exponent) - 1;
  if (bucket >= bucket_count - 1)
    return std::numeric_limits<std::int64_t>::max();
  auto i = bucket - 1;
  int e = min_exponent + static_cast<int>(i >> sub_bits);
  auto sub = static_cast<std::int64_t>(i & ((1u << sub_bits) - 1));
  auto width = std::int64_t{1} << (e - sub_bits);
  return (std::int64_t{1} << e) + (sub + 1) * width - 1;
}

void latency_histogram::record(std::int64_t ns) {
  ns = std::max<std::int64_t>(ns, 0);
  ++buckets_[bucket_of(ns)];
  if (count_ == 0 || ns < min_)
    min_ = ns;
  max_ = std::max(max_, ns);
  ++count_;
  sum_ += ns;
}

void latency_histogram::merge(const latency_histogram& o) {
  if (o.count_ == 0)
    return;
  for (std::size_t i = 0; i < bucket_count; ++i)
    buckets_[i] += o.buckets_[i];
  min_ = count_ ? std::min(min_, o.min_) : o.min_;
  max_ = std::max(max_, o.max_);
  count_ += o.count_;
  sum_ += o.sum_;
}

void latency_histogram::clear() { *this = latency_histogram{}; }

std::int64_t latency_histogram::quantile(double q) const {
  if (count_ == 0)
    return 0;
  if (q >= 1.0)
    return max_;
  q = std::max(q, 0.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    seen += buckets_[i];
    if (seen >= rank)
      return std::clamp(upper_bound(i), min_, max_);
  }
  return max_;
}

std::vector<std::pair<std::uint16_t, std::uint64_t>> latency_histogram::sparse_buckets() const {
  std::vector<std::pair<std::uint16_t, std::uint64_t>> out;
  for (std::size_t i = 0; i < bucket_count; ++i)
    if (buckets_[i] != 0)
      out.emplace_back(static_cast<std::uint16_t>(i), buckets_[i]);
  return out;
}

bool latency_histogram::restore(const std::vector<std::pair<std::uint16_t, std::uint64_t>>& buckets, std::int64_t sum,
                                std::int64_t min, std::int64_t max) {
  latency_histogram h;
  for (const auto& [i, n] : buckets) {
    if (i >= bucket_count)
      return false;
    h.buckets_[i] += n;
    h.count_ += n;
  }
  if (h.count_ > 0 && (min < 0 || max < min || sum < 0))
    return false;
  h.sum_ = sum;
  h.min_ = h.count_ ? min : 0;
  h.max_ = h.count_ ? max : 0;
  *this = h;
  return true;
}

} // namespace trader::latency
