#pragma once
// The two-sample Kolmogorov–Smirnov test: are two samples of trade returns drawn from one
// distribution? D = sup |F_a − F_b| of the empirical CDFs; the two-sided p-value is the
// asymptotic Kolmogorov distribution at √(n·m/(n+m))·D (Smirnov 1948), the table every
// textbook prints: Q(1.224) = 0.10, Q(1.358) = 0.05, Q(1.628) = 0.01, Q(1.949) = 0.001.
// Walk-forward (tools/backtest) reports it between in- and out-of-sample trade returns; the daemon's drift
// detection (drift_detector) compares live and baseline returns with it. No CAF; it lives here, the
// lower layer, so actors never include tools/.

#include <cstddef>
#include <span>

namespace trader::stats {

/// D and its p-value.
struct ks_result {
  double d = 0;          ///< sup |F_a(x) − F_b(x)|, in [0, 1].
  double p = 1;          ///< Two-sided asymptotic p-value; 1 when a sample is empty.
  std::size_t n = 0, m = 0;
};

/// Q_KS(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2 j² λ²}: the probability that √ne·D exceeds λ.
double kolmogorov_q(double lambda);
/// D of two samples (any order; ties handled by stepping both CDFs past equal values).
double ks_statistic(std::span<const double> a, std::span<const double> b);
/// The test.
ks_result ks_two_sample(std::span<const double> a, std::span<const double> b);

} // namespace trader::stats
