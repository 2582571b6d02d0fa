// Verifies the jittered cycle interval and the cycle statistics.

#include "actors/control/scheduler/jitter.hpp"

#include <gtest/gtest.h>

using namespace trader::scheduler;

namespace {

constexpr std::int64_t s = 1'000'000'000;

} // namespace

TEST(SchedulerJitter, DelaysStayWithinZeroToTenPercentAndSpreadOut) {
  jitter_config c;
  jittered_interval j(c);
  std::int64_t lo = INT64_MAX, hi = 0;
  for (int i = 0; i < 10000; ++i) {
    auto d = j.next_delay_ns();
    ASSERT_GE(d, 60 * s);
    ASSERT_LE(d, 66 * s);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_LT(lo, 60 * s + s / 10);
  EXPECT_GT(hi, 66 * s - s / 10);
}

TEST(SchedulerJitter, SameSeedSameSchedule) {
  jitter_config c;
  c.seed = 42;
  jittered_interval a(c), b(c);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(a.next_delay_ns(), b.next_delay_ns());
  c.seed = 43;
  jittered_interval other(c);
  jittered_interval again(jitter_config{60 * s, 0.10, jitter_mode::positive, 42, 45 * s});
  EXPECT_NE(other.next_delay_ns(), again.next_delay_ns());
}

TEST(SchedulerJitter, SymmetricModeGoesBothWays) {
  jitter_config c;
  c.mode = jitter_mode::symmetric;
  jittered_interval j(c);
  EXPECT_EQ(j.min_delay_ns(), 54 * s);
  EXPECT_EQ(j.max_delay_ns(), 66 * s);
  bool early = false;
  for (int i = 0; i < 1000; ++i)
    early |= j.next_delay_ns() < 60 * s;
  EXPECT_TRUE(early);
}

TEST(SchedulerJitter, ZeroJitterIsExact) {
  jitter_config c;
  c.jitter_fraction = 0;
  jittered_interval j(c);
  EXPECT_EQ(j.next_delay_ns(), 60 * s);
}

TEST(SchedulerJitter, ValidationRequiresTheBudgetToFit) {
  auto valid = validate(jitter_config{});
  EXPECT_TRUE(valid) << valid.error();
  jitter_config c;
  c.interval_ns = 40 * s;
  EXPECT_FALSE(validate(c));
  c = {};
  c.mode = jitter_mode::symmetric;
  c.jitter_fraction = 0.3;  // shortest interval 42 s < 45 s budget
  auto budget = validate(c);
  ASSERT_FALSE(budget);
  EXPECT_NE(budget.error().find("cycle budget must fit"), std::string::npos) << budget.error();
  c.jitter_fraction = 0.6;
  EXPECT_FALSE(validate(c));
}

TEST(CycleStats, CountsIntervalsAndOverruns) {
  cycle_stats st(45 * s);
  st.cycle_started(0);
  EXPECT_FALSE(st.cycle_finished(0, 10 * s));
  st.cycle_started(61 * s);
  EXPECT_TRUE(st.cycle_finished(61 * s, 107 * s));
  st.cycle_started(125 * s);
  EXPECT_EQ(st.count(), 3u);
  EXPECT_EQ(st.intervals(), 2u);
  EXPECT_EQ(st.min_interval_ns(), 61 * s);
  EXPECT_EQ(st.max_interval_ns(), 64 * s);
  EXPECT_DOUBLE_EQ(st.mean_interval_ns(), 62.5 * s);
  EXPECT_EQ(st.overruns(), 1u);
  EXPECT_EQ(st.max_duration_ns(), 46 * s);
  EXPECT_EQ(st.last_duration_ns(), 46 * s);
}

TEST(CycleStats, EmptyStatsAreZero) {
  cycle_stats st;
  EXPECT_EQ(st.count(), 0u);
  EXPECT_EQ(st.min_interval_ns(), 0);
  EXPECT_EQ(st.mean_interval_ns(), 0.0);
}
