#pragma once
// Integer helpers for risk arithmetic on the fixed-point types of messages/numeric.hpp:
// percentages, basis points and multipliers from the policy (doubles in the TOML) become
// integer parts per million once, and every amount of money stays an exact notional. No CAF.

#include "messages/numeric.hpp"

#include <cstdint>

namespace trader::risk {

/// Parts per million of a whole: 1 % = 10'000 ppm, 1 bps = 100 ppm, ×1.0 = 1'000'000 ppm.
using ppm = std::int64_t;
inline constexpr ppm ppm_one = 1'000'000;

/// A percentage (e.g. 5.0 = 5 %) as ppm, rounded to the nearest; negative and non-finite → 0.
ppm ppm_from_pct(double pct);
/// Basis points as ppm, rounded to the nearest; negative and non-finite → 0.
ppm ppm_from_bps(double bps);
/// A multiplier (e.g. 0.5) as ppm, rounded to the nearest; negative and non-finite → 0.
ppm ppm_from_ratio(double ratio);

/// n × r / 10^6 rounded toward zero (never more than the exact share).
notional scale_down(notional n, ppm r);
/// n × r / 10^6 rounded away from zero (never less than the exact share; fees).
notional scale_up(notional n, ppm r);
/// n × 10^6 / r rounded toward zero; zero when r ≤ 0.
notional divide_down(notional n, ppm r);
/// n × 10^6 / r rounded away from zero; zero when r ≤ 0.
notional divide_up(notional n, ppm r);
/// pct % of `whole`, rounded down: the cap a percentage of NAV allows.
notional pct_of(notional whole, double pct);

/// part / whole in percent, for display and audit only (never for a decision).
double pct_value(notional part, notional whole);
/// (a − b) / b in basis points, for display and audit only.
double bps_value(price a, price b);

/// Rounds x up to a multiple of increment (increment > 0; otherwise x unchanged).
template <class Tag>
fixed<Tag> ceil_to(fixed<Tag> x, fixed<Tag> increment) {
  if (increment.units <= 0)
    return x;
  auto q = x.units / increment.units;
  if (q * increment.units < x.units)
    ++q;
  return fixed<Tag>{q * increment.units};
}
/// Rounds x down to a multiple of increment, or unchanged when increment ≤ 0.
template <class Tag>
fixed<Tag> floor_or_same(fixed<Tag> x, fixed<Tag> increment) {
  return increment.units <= 0 ? x : floor_to(x, increment);
}

/// n / p rounded up to the base increment: the smallest size worth at least n at p.
size size_for_at_least(notional n, price p, size increment);

} // namespace trader::risk
