#include "messages/numeric.hpp"

#include <cstdlib>

namespace trader::detail {

std::optional<std::int64_t> parse_units(std::string_view s, bool round_extra) {
  if (s.empty())
    return std::nullopt;
  bool neg = false;
  if (s.front() == '-' || s.front() == '+') {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty())
    return std::nullopt;
  constexpr std::int64_t max_whole = INT64_MAX / 100'000'000;
  std::int64_t whole = 0;
  std::size_t i = 0;
  bool any_digit = false;
  for (; i < s.size() && s[i] != '.'; ++i) {
    char c = s[i];
    if (c < '0' || c > '9')
      return std::nullopt;
    whole = whole * 10 + (c - '0');
    if (whole > max_whole)
      return std::nullopt;
    any_digit = true;
  }
  std::int64_t frac = 0;
  int places = 0;
  bool round_up = false;  // round_extra: the first digit past 1e-8 is >= 5
  if (i < s.size()) {  // s[i] == '.'
    ++i;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (c < '0' || c > '9')
        return std::nullopt;
      any_digit = true;
      if (places < 8) {
        frac = frac * 10 + (c - '0');
        ++places;
      } else if (places++ == 8 && round_extra) {
        round_up = c >= '5';  // half away from zero; later digits cannot change it
      } else if (c != '0' && !round_extra) {
        return std::nullopt;  // precision beyond 1e-8 would be silently lost
      }
    }
  }
  if (!any_digit)
    return std::nullopt;
  for (; places < 8; ++places)
    frac *= 10;
  std::int64_t units = whole * 100'000'000 + frac;
  if (round_up) {
    if (units == INT64_MAX)
      return std::nullopt;
    ++units;
  }
  return neg ? -units : units;
}

std::string format_units(std::int64_t units) {
  std::string out;
  std::uint64_t mag = units < 0 ? static_cast<std::uint64_t>(-(units + 1)) + 1 : static_cast<std::uint64_t>(units);
  if (units < 0)
    out.push_back('-');
  out += std::to_string(mag / 100'000'000);
  auto frac = mag % 100'000'000;
  if (frac != 0) {
    char buf[9];
    for (int k = 7; k >= 0; --k) {
      buf[k] = static_cast<char>('0' + frac % 10);
      frac /= 10;
    }
    int len = 8;
    while (len > 0 && buf[len - 1] == '0')
      --len;
    out.push_back('.');
    out.append(buf, static_cast<std::size_t>(len));
  }
  return out;
}

std::optional<std::int64_t> mul_units(std::int64_t a, std::int64_t b) {
  __int128 p = static_cast<__int128>(a) * b;
  __int128 half = 50'000'000;
  __int128 q = (p >= 0 ? p + half : p - half) / 100'000'000;
  if (q > INT64_MAX || q < INT64_MIN)
    return std::nullopt;
  return static_cast<std::int64_t>(q);
}

std::optional<std::int64_t> div_units(std::int64_t a, std::int64_t b) {
  if (b == 0)
    return std::nullopt;
  __int128 q = static_cast<__int128>(a) * 100'000'000 / b;
  if (q > INT64_MAX || q < INT64_MIN)
    return std::nullopt;
  return static_cast<std::int64_t>(q);
}

std::int64_t floor_to(std::int64_t units, std::int64_t increment) {
  if (increment <= 0)
    return units;
  return units / increment * increment;
}

} // namespace trader::detail
