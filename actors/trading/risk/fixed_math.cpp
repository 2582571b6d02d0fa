#include "actors/trading/risk/fixed_math.hpp"

#include <cmath>

namespace trader::risk {

namespace {

ppm to_ppm(double v, double factor) {
  if (!std::isfinite(v) || v <= 0)
    return 0;
  return static_cast<ppm>(std::llround(v * factor));
}

constexpr __int128 million = 1'000'000;

} // namespace

ppm ppm_from_pct(double pct) { return to_ppm(pct, 10'000.0); }
ppm ppm_from_bps(double bps) { return to_ppm(bps, 100.0); }
ppm ppm_from_ratio(double ratio) { return to_ppm(ratio, 1'000'000.0); }

notional scale_down(notional n, ppm r) {
  return notional{static_cast<std::int64_t>(static_cast<__int128>(n.units) * r / million)};
}

notional scale_up(notional n, ppm r) {
  __int128 p = static_cast<__int128>(n.units) * r;
  __int128 q = p / million;
  if (q * million != p)
    q += p > 0 ? 1 : -1;
  return notional{static_cast<std::int64_t>(q)};
}

notional divide_down(notional n, ppm r) {
  if (r <= 0)
    return notional{};
  return notional{static_cast<std::int64_t>(static_cast<__int128>(n.units) * million / r)};
}

notional divide_up(notional n, ppm r) {
  if (r <= 0)
    return notional{};
  __int128 p = static_cast<__int128>(n.units) * million;
  __int128 q = p / r;
  if (q * r != p)
    q += p > 0 ? 1 : -1;
  return notional{static_cast<std::int64_t>(q)};
}

notional pct_of(notional whole, double pct) { return scale_down(whole, ppm_from_pct(pct)); }

double pct_value(notional part, notional whole) {
  if (whole.units == 0)
    return 0;
  return 100.0 * static_cast<double>(part.units) / static_cast<double>(whole.units);
}

double bps_value(price a, price b) {
  if (b.units == 0)
    return 0;
  return 10'000.0 * static_cast<double>(a.units - b.units) / static_cast<double>(b.units);
}

size size_for_at_least(notional n, price p, size increment) {
  if (p.units <= 0)
    return size{};
  // units of size s with s × p / 10^8 ≥ n: s ≥ n × 10^8 / p, rounded up.
  __int128 num = static_cast<__int128>(n.units) * 100'000'000;
  __int128 q = num / p.units;
  if (q * p.units < num)
    ++q;
  return ceil_to(size{static_cast<std::int64_t>(q)}, increment);
}

} // namespace trader::risk
