#pragma once
// Deterministic identifiers: a seeded PRNG (splitmix64 + xoshiro256**, fully specified so
// the same seed gives the same stream on every platform) and UUID-shaped ids built from it.

#include <cstdint>
#include <string>
#include <string_view>

namespace trader::simex {

/// splitmix64 step; also used to seed xoshiro.
std::uint64_t splitmix64(std::uint64_t& state);

/// xoshiro256** by Blackman and Vigna; not std::*_distribution (implementation-defined).
class prng {
public:
  explicit prng(std::uint64_t seed = 1);
  /// Next 64 random bits.
  std::uint64_t next();
  /// Uniform in [0, 1) with 53 bits.
  double uniform();
  /// Uniform integer in [0, n) (n > 0), by multiply-shift.
  std::uint64_t below(std::uint64_t n);
  /// Approximately standard normal (Irwin-Hall sum of 12 uniforms minus 6); no libm.
  double normal();

private:
  std::uint64_t s_[4] = {};
};

/// UUID v4 text from 128 random bits of g.
std::string uuid_from(prng& g);
/// UUID-shaped text from a 64-bit FNV-1a hash of key (stable across runs).
std::string uuid_from_hash(std::string_view key);

} // namespace trader::simex
