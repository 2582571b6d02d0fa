#pragma once
// A log-bucketed latency histogram with fixed memory (4 KiB): 16 sub-buckets per power of
// two from 1 µs to ~73 min, so a quantile is within ~6% of the true value. Exact count,
// sum, min and max. Not thread-safe (one actor owns it). No CAF.

#include <array>
#include <cstdint>
#include <vector>

namespace trader::latency {

/// Log-linear buckets over nanoseconds.
class latency_histogram {
public:
  static constexpr int sub_bits = 4;                  ///< 16 sub-buckets per octave.
  static constexpr int min_exponent = 10;             ///< Values < 2^10 ns (~1 µs) share bucket 0.
  static constexpr int max_exponent = 42;             ///< Values ≥ 2^42 ns (~73 min) share the last.
  /// Bucket 0 (below 2^min_exponent), the log-linear buckets, one overflow bucket.
  static constexpr std::size_t bucket_count = (max_exponent - min_exponent) * (1u << sub_bits) + 2;

  /// Adds one duration (negative counts as 0).
  void record(std::int64_t ns);
  /// Adds every sample of other.
  void merge(const latency_histogram& other);
  /// Forgets everything.
  void clear();

  /// The q-quantile (0 < q ≤ 1) in ns: the upper bound of the bucket holding rank ⌈q·n⌉,
  /// clamped to [min, max]; 0 when empty. q = 1 is the exact max.
  std::int64_t quantile(double q) const;
  std::uint64_t count() const { return count_; }
  std::int64_t min() const { return count_ ? min_ : 0; }
  std::int64_t max() const { return max_; }
  double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
  std::int64_t sum() const { return sum_; }

  /// Bucket index of a value, and the largest value a bucket holds (for tests, persistence).
  static std::size_t bucket_of(std::int64_t ns);
  static std::int64_t upper_bound(std::size_t bucket);

  /// Non-empty buckets as (index, count), for persisting a baseline.
  std::vector<std::pair<std::uint16_t, std::uint64_t>> sparse_buckets() const;
  /// Rebuilds from sparse_buckets() plus the exact aggregates; false if malformed.
  bool restore(const std::vector<std::pair<std::uint16_t, std::uint64_t>>& buckets, std::int64_t sum, std::int64_t min,
               std::int64_t max);

private:
  std::array<std::uint64_t, bucket_count> buckets_{};
  std::uint64_t count_ = 0;
  std::int64_t sum_ = 0;
  std::int64_t min_ = 0;
  std::int64_t max_ = 0;
};

} // namespace trader::latency
