#pragma once
// Fixed-point quantities: prices, sizes and notionals are exact decimals with 8 places
// (every Coinbase increment is a power of ten ≥ 1e-8). No floating point on money paths.

#include <caf/meta/type_name.hpp>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trader {

/// An exact decimal: value = units / 10^8. Tag makes price, size and notional distinct types.
template <class Tag>
struct fixed {
  static constexpr std::int64_t scale = 100'000'000;  ///< 10^8 units per whole.
  static constexpr int places = 8;

  std::int64_t units = 0;  ///< The value times 10^8.

  static constexpr fixed from_units(std::int64_t u) { return fixed{u}; }
  static constexpr fixed from_int(std::int64_t whole) { return fixed{whole * scale}; }
  /// Rounds to the nearest unit; for tests, config and display, never for exchange data.
  static fixed from_double(double v) {
    return fixed{static_cast<std::int64_t>(v * static_cast<double>(scale) + (v < 0 ? -0.5 : 0.5))};
  }
  double to_double() const { return static_cast<double>(units) / static_cast<double>(scale); }
  bool is_zero() const { return units == 0; }
  bool is_negative() const { return units < 0; }

  // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=> (fixed in 15).
  constexpr auto operator<=>(const fixed&) const = default;
  constexpr fixed operator+(fixed o) const { return fixed{units + o.units}; }
  constexpr fixed operator-(fixed o) const { return fixed{units - o.units}; }
  constexpr fixed operator-() const { return fixed{-units}; }
  constexpr fixed& operator+=(fixed o) { units += o.units; return *this; }
  constexpr fixed& operator-=(fixed o) { units -= o.units; return *this; }
  constexpr fixed operator*(std::int64_t k) const { return fixed{units * k}; }
};

namespace detail {
/// Parses "[-]digits[.digits]" into 10^8 units; more than 8 decimals must be zeros, unless
/// round_extra: then they round half away from zero to 1e-8.
std::optional<std::int64_t> parse_units(std::string_view text, bool round_extra = false);
/// Shortest exact rendering: "0.1", "100", "-2.5". Coinbase accepts this form.
std::string format_units(std::int64_t units);
/// a*b/10^8 rounded half away from zero, or nullopt on overflow.
std::optional<std::int64_t> mul_units(std::int64_t a, std::int64_t b);
/// a*10^8/b rounded toward zero, or nullopt when b is 0 or on overflow.
std::optional<std::int64_t> div_units(std::int64_t a, std::int64_t b);
/// Rounds units down (toward zero) to a multiple of increment (increment > 0).
std::int64_t floor_to(std::int64_t units, std::int64_t increment);
} // namespace detail

/// Parses an exchange decimal string exactly ("67123.45"); nullopt if malformed.
template <class Tag>
std::optional<fixed<Tag>> parse_fixed(std::string_view text) {
  auto u = detail::parse_units(text);
  if (!u)
    return std::nullopt;
  return fixed<Tag>{*u};
}

/// Like parse_fixed, but digits past 1e-8 round half away from zero instead of refusing the
/// value: for amounts the exchange computes and sends at full precision (a quote-sized
/// fill's size, commissions, average prices, balances: "4.9603174603174603").
template <class Tag>
std::optional<fixed<Tag>> parse_fixed_rounded(std::string_view text) {
  auto u = detail::parse_units(text, true);
  if (!u)
    return std::nullopt;
  return fixed<Tag>{*u};
}

template <class Tag>
std::string to_string(fixed<Tag> x) {
  return detail::format_units(x.units);
}

/// Rounds x down to a multiple of increment (an exchange's base or quote increment).
template <class Tag>
fixed<Tag> floor_to(fixed<Tag> x, fixed<Tag> increment) {
  return fixed<Tag>{detail::floor_to(x.units, increment.units)};
}

struct price_tag {};
struct size_tag {};
struct notional_tag {};

using price = fixed<price_tag>;        ///< Quote currency per unit of base (USD per BTC).
using size = fixed<size_tag>;          ///< Quantity of the base asset (BTC).
using notional = fixed<notional_tag>;  ///< Amount of the quote currency (USD).

/// price × size → notional, rounded to 1e-8; saturates never: nullopt on overflow.
inline std::optional<notional> checked_mul(price p, size q) {
  auto u = detail::mul_units(p.units, q.units);
  if (!u)
    return std::nullopt;
  return notional{*u};
}
/// price × size for values known to be in range (|notional| < 9.2e10).
inline notional operator*(price p, size q) { return notional{detail::mul_units(p.units, q.units).value_or(0)}; }
/// notional / price → size (rounded toward zero); nullopt when price is zero.
inline std::optional<size> checked_div(notional n, price p) {
  auto u = detail::div_units(n.units, p.units);
  if (!u)
    return std::nullopt;
  return size{*u};
}

template <class Inspector, class Tag>
typename Inspector::result_type inspect(Inspector& f, fixed<Tag>& x) {
  return f(caf::meta::type_name("fixed"), x.units);
}

} // namespace trader
