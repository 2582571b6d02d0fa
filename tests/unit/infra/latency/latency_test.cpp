// Verifies the log-bucketed histogram (accuracy, bounded memory, persistence) and the
// tracker (window, budgets, violations, recovery, key bound).

#include "actors/infra/latency/latency_baseline.hpp"
#include "actors/infra/latency/latency_tracker.hpp"

#include <gtest/gtest.h>

#include <random>

using namespace trader::latency;

namespace {

constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t minute = 60'000 * ms;

} // namespace

TEST(LatencyHistogram, EmptyHistogramReportsZero) {
  latency_histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.99), 0);
  EXPECT_EQ(h.min(), 0);
}

TEST(LatencyHistogram, QuantilesAreWithinSevenPercent) {
  latency_histogram h;
  for (int i = 1; i <= 10000; ++i)
    h.record(i * 100'000);  // 0.1 ms … 1000 ms, uniform
  for (double q : {0.5, 0.95, 0.99}) {
    double truth = q * 10000 * 100'000;
    EXPECT_NEAR(static_cast<double>(h.quantile(q)), truth, truth * 0.07) << q;
  }
  EXPECT_EQ(h.quantile(1.0), 1000 * ms);
  EXPECT_EQ(h.min(), 100'000);
  EXPECT_NEAR(h.mean(), 500.05 * ms, 1.0);
}

TEST(LatencyHistogram, BucketBoundsAreContiguous) {
  for (std::size_t b = 0; b + 2 < latency_histogram::bucket_count; ++b)
    EXPECT_EQ(latency_histogram::bucket_of(latency_histogram::upper_bound(b) + 1), b + 1) << b;
  EXPECT_EQ(latency_histogram::bucket_of(0), 0u);
  EXPECT_EQ(latency_histogram::bucket_of(INT64_MAX), latency_histogram::bucket_count - 1);
}

TEST(LatencyHistogram, MemoryIsBounded) { EXPECT_LE(sizeof(latency_histogram), 4200u); }

TEST(LatencyHistogram, SingleValueQuantilesAreExact) {
  latency_histogram h;
  h.record(1234567);
  EXPECT_EQ(h.quantile(0.5), 1234567);
  EXPECT_EQ(h.quantile(0.99), 1234567);
}

TEST(LatencyHistogram, MergeEqualsRecordingBoth) {
  latency_histogram a, b, both;
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000; ++i) {
    auto v = static_cast<std::int64_t>(rng() % (500 * ms));
    (i % 2 ? a : b).record(v);
    both.record(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.quantile(0.95), both.quantile(0.95));
  EXPECT_EQ(a.max(), both.max());
  EXPECT_EQ(a.min(), both.min());
}

TEST(LatencyHistogram, SparseBucketsRoundTrip) {
  latency_histogram h;
  for (int i = 0; i < 100; ++i)
    h.record(i * 3 * ms);
  latency_histogram r;
  ASSERT_TRUE(r.restore(h.sparse_buckets(), h.sum(), h.min(), h.max()));
  EXPECT_EQ(r.count(), h.count());
  EXPECT_EQ(r.quantile(0.99), h.quantile(0.99));
  EXPECT_FALSE(r.restore({{60000, 1}}, 0, 0, 0));
}

TEST(LatencyTracker, ReportsPercentilesPerKey) {
  latency_tracker t;
  for (int i = 1; i <= 100; ++i)
    t.record("rest:/orders", i * ms, 0);
  t.record("rest:/accounts", 5 * ms, 0);
  auto s = t.summaries(0);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].key, "rest:/orders");
  EXPECT_EQ(s[1].window_count, 100u);
  EXPECT_NEAR(static_cast<double>(s[1].p50_ns), 50.0 * ms, 4.0 * ms);
  EXPECT_NEAR(static_cast<double>(s[1].p99_ns), 99.0 * ms, 7.0 * ms);
}

TEST(LatencyTracker, WindowCoversTheLastFiveMinutes) {
  latency_tracker t;
  t.record("k", 900 * ms, 0);
  t.record("k", 10 * ms, 4 * minute);
  EXPECT_EQ(t.window("k", 4 * minute).count(), 2u);
}

TEST(LatencyTracker, WindowForgetsOldSlotsButLifetimeKeepsThem) {
  latency_tracker t;  // 5 × 1 min
  t.record("k", 900 * ms, 0);
  t.record("k", 10 * ms, 5 * minute);
  EXPECT_EQ(t.window("k", 5 * minute).count(), 1u);
  EXPECT_EQ(t.window("k", 5 * minute).max(), 10 * ms);
  EXPECT_EQ(t.lifetime("k")->count(), 2u);
}

TEST(LatencyTracker, BudgetViolationNeedsEnoughSamples) {
  latency_tracker t;
  t.set_budget("rest:/orders", {1500 * ms, 0.99, 20});
  for (int i = 0; i < 19; ++i)
    t.record("rest:/orders", 2000 * ms, 0);
  EXPECT_TRUE(t.check(0).violations.empty());
  t.record("rest:/orders", 2000 * ms, 0);
  auto r = t.check(0);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].key, "rest:/orders");
  EXPECT_EQ(r.violations[0].budget_ns, 1500 * ms);
  EXPECT_EQ(r.violations[0].reason, "LATENCY_BUDGET: key=rest:/orders p99_ms=2000.0 budget_ms=1500.0 samples=20");
}

TEST(LatencyTracker, PrefixBudgetsApplyAndExactKeysWin) {
  latency_tracker t;
  t.set_budget("rest:*", {100 * ms, 0.95, 1});
  t.set_budget("rest:/orders", {5000 * ms, 0.95, 1});
  t.record("rest:/accounts", 200 * ms, 0);
  t.record("rest:/orders", 200 * ms, 0);
  t.record("ws:market", 200 * ms, 0);
  auto r = t.check(0);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].key, "rest:/accounts");
}

TEST(LatencyTracker, CycleBudgetOnEverySample) {
  latency_tracker t;
  t.set_budget("stage:decision_cycle", {45'000 * ms, 1.0, 1});
  t.record("stage:decision_cycle", 30'000 * ms, 0);
  EXPECT_TRUE(t.check(0).violations.empty());
  t.record("stage:decision_cycle", 46'000 * ms, 0);
  auto r = t.check(0);
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_NE(r.violations[0].reason.find("max_ms=46000.0"), std::string::npos) << r.violations[0].reason;
}

TEST(LatencyTracker, RecoveryIsReportedOnce) {
  latency_tracker t;
  t.set_budget("k", {100 * ms, 0.99, 1});
  t.record("k", 500 * ms, 0);
  EXPECT_EQ(t.check(0).violations.size(), 1u);
  t.record("k", 5 * ms, 10 * minute);  // the slow sample has left the window
  auto r = t.check(10 * minute);
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.recovered, std::vector<std::string>{"k"});
  EXPECT_TRUE(t.check(10 * minute).recovered.empty());
}

TEST(LatencyTracker, KeysAreBounded) {
  tracker_config c;
  c.max_keys = 8;
  latency_tracker t(c);
  for (int i = 0; i < 100; ++i)
    t.record("k" + std::to_string(i), ms, 0);
  EXPECT_EQ(t.key_count(), 9u);
  EXPECT_EQ(t.window("other", 0).count(), 92u);
}

TEST(LatencyTracker, RestoredBaselineIsTheLifetime) {
  latency_tracker t;
  latency_histogram h;
  h.record(42 * ms);
  t.restore_baseline("rest:/orders", h);
  EXPECT_EQ(t.lifetime("rest:/orders")->count(), 1u);
  EXPECT_EQ(t.window("rest:/orders", 0).count(), 0u);
}

TEST(LatencyBaseline, RoundTripsThroughJson) {
  latency_histogram h;
  for (int i = 1; i <= 50; ++i)
    h.record(i * 7 * ms);
  auto text = encode_baseline("rest:/orders", h);
  std::string why;
  auto b = decode_baseline(text, why);
  ASSERT_TRUE(b) << why;
  EXPECT_EQ(b->key, "rest:/orders");
  EXPECT_EQ(b->histogram.count(), 50u);
  EXPECT_EQ(b->histogram.quantile(0.95), h.quantile(0.95));
  EXPECT_EQ(b->histogram.max(), h.max());
}

TEST(LatencyBaseline, RefusesMalformedOrNewerBaselines) {
  std::string why;
  for (auto bad : {"", "[]", R"({"v":2,"key":"k","sum":0,"min":0,"max":0,"buckets":[]})",
                   R"({"v":1,"key":"k","sum":0,"min":0,"max":0,"buckets":[[99999,1]]})",
                   R"({"v":1,"key":"k","sum":0,"min":5,"max":1,"buckets":[[3,1]]})", R"({"v":1,"key":7})"})
    EXPECT_FALSE(decode_baseline(bad, why)) << bad;
}
