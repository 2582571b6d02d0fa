#include "runtime/clock.hpp"

#include <gtest/gtest.h>

using namespace trader;

TEST(Clock, FormatsAndParsesRfc3339RoundTrip) {
  ts_ns t = 1'763'744'584'123'456'789;  // 2025-11-21T17:03:04.123456789Z
  EXPECT_EQ(format_rfc3339(t), "2025-11-21T17:03:04.123456789Z");
  ts_ns back = 0;
  ASSERT_TRUE(parse_rfc3339(format_rfc3339(t), back));
  EXPECT_EQ(back, t);
  EXPECT_EQ(format_rfc3339_ms(t), "2025-11-21T17:03:04.123Z");
  EXPECT_EQ(utc_date(t), "2025-11-21");
}

TEST(Clock, ParsesOffsetsAndRejectsGarbage) {
  ts_ns a = 0, b = 0;
  ASSERT_TRUE(parse_rfc3339("2024-08-08T02:00:00+02:00", a));
  ASSERT_TRUE(parse_rfc3339("2024-08-08T00:00:00Z", b));
  EXPECT_EQ(a, b);
  EXPECT_FALSE(parse_rfc3339("2024-08-08", a));
  EXPECT_FALSE(parse_rfc3339("2024-13-08T00:00:00Z", a));
  // Outside ts_ns's range (the fuzzer's find: the nanosecond product overflowed).
  EXPECT_FALSE(parse_rfc3339("1013-01-01T00:00:00Z", a));
  EXPECT_FALSE(parse_rfc3339("9999-12-31T23:59:59.999999999Z", a));
  EXPECT_FALSE(parse_rfc3339("0000-01-01T00:00:00-23:59", a));
  ASSERT_TRUE(parse_rfc3339("2262-01-01T00:00:00Z", a));
  ASSERT_TRUE(parse_rfc3339("1678-01-01T00:00:00Z", a));
  EXPECT_FALSE(parse_rfc3339("2024-08-08T00:00:00", a));
  EXPECT_FALSE(parse_rfc3339("2024-08-08T00:00:00.Z", a));
}

TEST(Clock, ManualSourceMovesOnlyWhenTold) {
  manual_time_source src(1'000, 5);
  EXPECT_EQ(src.wall_now(), 1'000);
  src.advance(10);
  EXPECT_EQ(src.wall_now(), 1'010);
  EXPECT_EQ(src.mono_now(), 15);
  src.set_wall(0);  // an NTP step does not move monotonic time
  EXPECT_EQ(src.mono_now(), 15);
}

TEST(Clock, UtcDayHandlesTimesBeforeEpoch) {
  EXPECT_EQ(utc_day(0), 0);
  EXPECT_EQ(utc_day(-1), -1);
  EXPECT_EQ(utc_day(86'400 * ns_per_s), 1);
}

TEST(Clock, SystemSourceIsPlausible) {
  auto& s = system_time_source::instance();
  EXPECT_GT(s.wall_now(), 1'700'000'000 * ns_per_s);
  auto m1 = s.mono_now();
  EXPECT_GE(s.mono_now(), m1);
}
