#include "tools/simex/engine/ids.hpp"

namespace trader::simex {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

prng::prng(std::uint64_t seed) {
  for (auto& s : s_)
    s = splitmix64(seed);
}

namespace {
constexpr std::uint64_t rotl(std::uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}
} // namespace

std::uint64_t prng::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

double prng::uniform() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

std::uint64_t prng::below(std::uint64_t n) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
}

double prng::normal() {
  double s = 0;
  for (int i = 0; i < 12; ++i)
    s += uniform();
  return s - 6.0;
}

namespace {
std::string uuid_text(std::uint64_t hi, std::uint64_t lo) {
  static constexpr char hex[] = "0123456789abcdef";
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  std::string out(36, '-');
  int pos = 0;
  auto put = [&](std::uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23)
        ++pos;
      out[static_cast<std::size_t>(pos++)] = hex[(v >> (i * 4)) & 0xF];
    }
  };
  put(hi, 16);
  put(lo, 16);
  return out;
}
} // namespace

std::string uuid_from(prng& g) {
  auto hi = g.next();
  auto lo = g.next();
  return uuid_text(hi, lo);
}

std::string uuid_from_hash(std::string_view key) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : key)
    h = (h ^ c) * 0x100000001b3ULL;
  std::uint64_t state = h;
  auto hi = splitmix64(state);
  auto lo = splitmix64(state);
  return uuid_text(hi, lo);
}

} // namespace trader::simex
