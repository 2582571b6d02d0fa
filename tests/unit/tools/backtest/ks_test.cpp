// The two-sample Kolmogorov–Smirnov test against hand-computed D and the published
// critical values of the Kolmogorov distribution (Smirnov's table).

#include "actors/trading/drift/ks.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace {

using namespace trader::stats;

TEST(KolmogorovSmirnov, TheDistributionMatchesTheCriticalValueTable) {
  // c(α) with P(√ne·D > c(α)) = α: 1.22 → 0.10, 1.36 → 0.05, 1.63 → 0.01, 1.95 → 0.001.
  EXPECT_NEAR(kolmogorov_q(1.2239), 0.10, 5e-4);
  EXPECT_NEAR(kolmogorov_q(1.3581), 0.05, 5e-4);
  EXPECT_NEAR(kolmogorov_q(1.6276), 0.01, 2e-4);
  EXPECT_NEAR(kolmogorov_q(1.9495), 0.001, 5e-5);
  EXPECT_NEAR(kolmogorov_q(0.8276), 0.50, 5e-4);  // the median of the distribution
  EXPECT_DOUBLE_EQ(kolmogorov_q(0), 1.0);
  // Both series agree where they meet.
  EXPECT_NEAR(kolmogorov_q(1.1799), kolmogorov_q(1.1801), 1e-3);
}

TEST(KolmogorovSmirnov, StatisticOfSmallSamplesByHand) {
  // a = {1,2,3,4}, b = {3,4,5,6}: after 2, F_a = 0.5 and F_b = 0 → D = 0.5.
  std::vector<double> a{4, 2, 3, 1}, b{3, 4, 5, 6};
  EXPECT_DOUBLE_EQ(ks_statistic(a, b), 0.5);
  EXPECT_DOUBLE_EQ(ks_statistic(a, a), 0.0);
  std::vector<double> far{10, 11, 12};
  EXPECT_DOUBLE_EQ(ks_statistic(a, far), 1.0);
  // Ties between the samples step both CDFs together.
  std::vector<double> t1{1, 1, 2}, t2{1, 2, 2};
  EXPECT_NEAR(ks_statistic(t1, t2), 1.0 / 3.0, 1e-12);
}

TEST(KolmogorovSmirnov, PValueUsesTheEffectiveSampleSize) {
  std::vector<double> a, b;
  for (int i = 0; i < 100; ++i) {
    a.push_back(i);
    b.push_back(i + 20);  // shifted by 20 of 100: D = 0.2
  }
  auto r = ks_two_sample(a, b);
  EXPECT_DOUBLE_EQ(r.d, 0.2);
  EXPECT_NEAR(r.p, kolmogorov_q(std::sqrt(50.0) * 0.2), 1e-15);  // ne = 100·100/200
  EXPECT_NEAR(r.p, 0.0366, 5e-4);                                 // λ = 1.414
  EXPECT_EQ(ks_two_sample({}, b).p, 1.0);
}

} // namespace
