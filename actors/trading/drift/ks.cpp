#include "actors/trading/drift/ks.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace trader::stats {

double kolmogorov_q(double lambda) {
  if (lambda <= 0)
    return 1.0;
  if (lambda < 1.18) {  // the alternating series converges slowly here: use the theta-function form
    const double pi2 = std::numbers::pi * std::numbers::pi;
    double cdf = 0;
    for (int j = 1; j <= 50; ++j) {
      const double k = 2.0 * j - 1.0;
      cdf += std::exp(-k * k * pi2 / (8.0 * lambda * lambda));
    }
    cdf *= std::sqrt(2.0 * std::numbers::pi) / lambda;
    return std::clamp(1.0 - cdf, 0.0, 1.0);
  }
  double sum = 0, sign = 1;
  for (int j = 1; j <= 100; ++j) {
    const double term = std::exp(-2.0 * j * j * lambda * lambda);
    sum += sign * term;
    if (term < 1e-17)
      break;
    sign = -sign;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

double ks_statistic(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty())
    return 0;
  std::vector<double> x(a.begin(), a.end()), y(b.begin(), b.end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  std::size_t i = 0, j = 0;
  double d = 0;
  while (i < x.size() && j < y.size()) {
    const double v = std::min(x[i], y[j]);
    while (i < x.size() && x[i] == v)
      ++i;
    while (j < y.size() && y[j] == v)
      ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / static_cast<double>(x.size()) - static_cast<double>(j) / static_cast<double>(y.size())));
  }
  return d;
}

ks_result ks_two_sample(std::span<const double> a, std::span<const double> b) {
  ks_result r;
  r.n = a.size();
  r.m = b.size();
  if (a.empty() || b.empty())
    return r;
  r.d = ks_statistic(a, b);
  const double ne = static_cast<double>(r.n) * static_cast<double>(r.m) / static_cast<double>(r.n + r.m);
  r.p = kolmogorov_q(std::sqrt(ne) * r.d);
  return r;
}

} // namespace trader::stats
