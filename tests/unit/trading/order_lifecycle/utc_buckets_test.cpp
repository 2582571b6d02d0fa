// UTC day and ISO week bucket keys, at their boundaries.
#include "actors/trading/order_lifecycle/utc_buckets.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {
// 2026-11-21T00:00:00Z (a Saturday).
constexpr ts_ns nov21 = 1'795'219'200LL * ns_per_s;
constexpr ts_ns day_ns = 86'400 * ns_per_s;
} // namespace

TEST(UtcBuckets, DayKeyChangesExactlyAtUtcMidnight) {
  EXPECT_EQ(day_bucket_key(nov21 - 1), "day/2026-11-20");
  EXPECT_EQ(day_bucket_key(nov21), "day/2026-11-21");
  EXPECT_EQ(day_bucket_key(nov21 + day_ns - 1), "day/2026-11-21");
}

TEST(UtcBuckets, WeekKeyChangesAtMondayMidnightUtc) {
  const ts_ns monday = nov21 + 2 * day_ns;  // 2026-11-23
  EXPECT_EQ(week_bucket_key(monday - 1), "week/2026-W47");
  EXPECT_EQ(week_bucket_key(monday), "week/2026-W48");
}

TEST(UtcBuckets, IsoWeekAtYearEnds) {
  // 2026-12-31 (Thursday) is in 2026-W53; 2027-01-01 (Friday) too; 2027-01-04 (Monday) is W01.
  const ts_ns dec31 = 1'798'675'200LL * ns_per_s;
  EXPECT_EQ(day_bucket_key(dec31), "day/2026-12-31");
  EXPECT_EQ(week_bucket_key(dec31), "week/2026-W53");
  EXPECT_EQ(week_bucket_key(dec31 + day_ns), "week/2026-W53");
  EXPECT_EQ(week_bucket_key(dec31 + 4 * day_ns), "week/2027-W01");
  // 2024-12-30 (Monday) is 2025-W01.
  EXPECT_EQ(week_bucket_key(1'735'516'800LL * ns_per_s), "week/2025-W01");
  EXPECT_EQ(day_bucket_key(1'735'516'800LL * ns_per_s), "day/2024-12-30");
}

TEST(UtcBuckets, BeforeTheEpochFloorsToThePreviousDay) {
  EXPECT_EQ(day_bucket_key(-1), "day/1969-12-31");
  EXPECT_EQ(utc_day_number(-1), -1);
  EXPECT_EQ(utc_day_number(0), 0);
}
