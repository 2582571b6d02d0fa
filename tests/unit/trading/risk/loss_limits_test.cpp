// Loss limits across UTC-day and ISO-week boundaries, drawdown from the high-water mark.
#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/loss_limits.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::risk;

namespace {

constexpr ts_ns s(std::int64_t secs) { return secs * ns_per_s; }
// Monday 2026-11-30 00:00 UTC, start of ISO week 2026-W49.
constexpr ts_ns monday = 1'796'601'600LL * ns_per_s - 7 * 86'400LL * ns_per_s;
constexpr ts_ns next_monday = 1'796'601'600LL * ns_per_s;  // 2026-12-07 00:00 UTC
constexpr ts_ns hour = 3600LL * ns_per_s;
constexpr ts_ns day = 24 * hour;

notional usd(double v) { return notional::from_double(v); }

// Marks with NAV = 10 000 + realized_week + unrealized (no deposits).
ledger_marks marks(double realized_day, double realized_week, double unrealized = 0) {
  return ledger_marks{usd(realized_day), usd(realized_week), usd(unrealized),
                      usd(10'000 + realized_week + unrealized)};
}

bool active(const loss_status& st, gate_reason r) {
  for (const auto& b : st.active)
    if (b.reason == r)
      return true;
  return false;
}

} // namespace

TEST(LossLimits, DailyStopTripsAtTheLimitAndClearsAtTheNextUtcMidnight) {
  loss_limits l;
  EXPECT_TRUE(l.update(marks(0, 0), monday + 9 * hour).active.empty());
  EXPECT_TRUE(l.update(marks(-290, -290), monday + 10 * hour).active.empty());  // 2.9 %
  auto st = l.update(marks(-300, -300), monday + 11 * hour);                    // 3.0 %
  ASSERT_EQ(st.active.size(), 1u);
  EXPECT_EQ(st.active[0].reason, gate_reason::daily_stop);
  EXPECT_EQ(st.active[0].clears_at, monday + day);
  EXPECT_EQ(st.active[0].detail, "pnl=-300 pnl_pct=-3.00 limit_pct=3.00 day=2026-11-30");
  EXPECT_TRUE(l.holds(gate_reason::daily_stop));
  // Latched: recovering the same day does not clear it.
  EXPECT_TRUE(active(l.update(marks(0, 0), monday + day - s(1)), gate_reason::daily_stop));
  // 00:00 UTC: a new day, the stop clears.
  auto next = l.update(marks(0, -300), monday + day);
  EXPECT_FALSE(active(next, gate_reason::daily_stop));
  EXPECT_FALSE(l.holds(gate_reason::daily_stop));
}

TEST(LossLimits, UnrealizedLossesFromMarksCount) {
  loss_limits l;
  l.update(marks(0, 0, 0), monday + hour);
  EXPECT_TRUE(active(l.update(marks(0, 0, -310), monday + 2 * hour), gate_reason::daily_stop));
}

TEST(LossLimits, TheDayIsMeasuredFromItsOpeningUnrealized) {
  loss_limits l;
  l.update(marks(0, 0, -500), monday + hour);  // a loss carried in from before: not today's
  auto st = l.update(marks(0, 0, -700), monday + 2 * hour);
  EXPECT_EQ(st.pnl_day, usd(-200));
  EXPECT_FALSE(active(st, gate_reason::daily_stop));
}

TEST(LossLimits, WeeklyStopAccumulatesOverDaysAndClearsOnMonday) {
  loss_limits l;
  l.update(marks(0, 0), monday);
  EXPECT_TRUE(l.update(marks(-250, -250), monday + 20 * hour).active.empty());
  EXPECT_TRUE(l.update(marks(-250, -500), monday + day + 20 * hour).active.empty());
  auto st = l.update(marks(-250, -750), monday + 2 * day + 20 * hour);  // Wednesday: 7.5 % of the week
  ASSERT_EQ(st.active.size(), 1u);
  EXPECT_EQ(st.active[0].reason, gate_reason::weekly_stop);
  EXPECT_EQ(st.active[0].clears_at, next_monday);
  EXPECT_EQ(st.active[0].detail, "pnl=-750 pnl_pct=-7.50 limit_pct=7.00 week=2026-W49");
  // Still held across the UTC-day boundaries up to Sunday 23:59:59 …
  EXPECT_TRUE(active(l.update(marks(0, -750), monday + 3 * day), gate_reason::weekly_stop));
  EXPECT_TRUE(active(l.update(marks(0, -750), next_monday - s(1)), gate_reason::weekly_stop));
  // … and cleared at Monday 00:00 UTC.
  EXPECT_TRUE(l.update(marks(0, 0, 0), next_monday).active.empty());
}

TEST(LossLimits, TheIsoWeekSpansTheNewYear) {
  const ts_ns thu_2020_12_31 = 1'609'372'800LL * ns_per_s;
  const ts_ns sun_2021_01_03 = 1'609'675'200LL * ns_per_s;
  const ts_ns mon_2021_01_04 = 1'609'718'400LL * ns_per_s;
  loss_limits l;
  l.update(marks(0, 0), thu_2020_12_31);
  auto st = l.update(marks(-100, -800), thu_2020_12_31 + hour);
  ASSERT_TRUE(active(st, gate_reason::weekly_stop));
  EXPECT_EQ(st.active.back().detail, "pnl=-800 pnl_pct=-8.00 limit_pct=7.00 week=2020-W53");
  EXPECT_EQ(st.active.back().clears_at, mon_2021_01_04);
  EXPECT_TRUE(active(l.update(marks(0, -800), sun_2021_01_03), gate_reason::weekly_stop));
  EXPECT_FALSE(active(l.update(marks(0, 0), mon_2021_01_04), gate_reason::weekly_stop));
}

TEST(LossLimits, MaxDrawdownFromTheHighWaterMarkNeedsAnOperator) {
  loss_limits l;
  ledger_marks m{usd(0), usd(0), usd(0), usd(12'000)};
  l.update(m, monday);
  m.nav = usd(10'850);  // 9.58 %
  EXPECT_TRUE(l.update(m, monday + hour).active.empty());
  m.nav = usd(10'800);  // 10 %
  auto st = l.update(m, monday + 2 * hour);
  ASSERT_TRUE(active(st, gate_reason::max_drawdown));
  EXPECT_EQ(st.active.back().clears_at, 0);
  EXPECT_EQ(st.high_water, usd(12'000));
  // Neither a recovery nor a new day or week clears it.
  m.nav = usd(11'900);
  EXPECT_TRUE(active(l.update(m, next_monday + hour), gate_reason::max_drawdown));
  // The operator's resume re-bases the mark at the current NAV.
  EXPECT_TRUE(l.resume_drawdown(usd(11'900), next_monday + 2 * hour));
  EXPECT_FALSE(l.resume_drawdown(usd(11'900), next_monday + 2 * hour));
  auto after = l.update(m, next_monday + 3 * hour);
  EXPECT_FALSE(active(after, gate_reason::max_drawdown));
  EXPECT_EQ(after.high_water, usd(11'900));
}

TEST(LossLimits, TripsAndOpeningsSurviveARestart) {
  loss_limits l;
  l.update(marks(0, 0), monday + hour);
  l.update(marks(-400, -400), monday + 2 * hour);
  ASSERT_TRUE(l.holds(gate_reason::daily_stop));
  auto back = loss_limits::from_json(l.to_json(), loss_limit_params{});
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->holds(gate_reason::daily_stop));
  auto st = back->update(marks(-400, -400), monday + 3 * hour);
  EXPECT_TRUE(active(st, gate_reason::daily_stop));
  EXPECT_EQ(st.pnl_day, usd(-400));  // the day's opening was kept
  EXPECT_FALSE(loss_limits::from_json("{}", loss_limit_params{}));
  EXPECT_FALSE(loss_limits::from_json("garbage", loss_limit_params{}));
}

TEST(LossLimits, ASeededHighWaterMarkCountsFromTheFirstUpdate) {
  loss_limits l;
  l.restore_high_water(usd(12'000), monday - day);
  auto st = l.update(ledger_marks{usd(0), usd(0), usd(0), usd(10'800)}, monday);
  EXPECT_TRUE(active(st, gate_reason::max_drawdown));
  EXPECT_EQ(l.high_water(), usd(12'000));
  EXPECT_EQ(l.high_water_at(), monday - day);
  l.restore_high_water(usd(11'000), monday);  // lower: ignored
  EXPECT_EQ(l.high_water(), usd(12'000));
}

TEST(LossLimits, OnlyLossLimitReasonsAreHeld) {
  loss_limits l;
  EXPECT_FALSE(l.holds(gate_reason::kill_switch));
  EXPECT_FALSE(l.holds(gate_reason::daily_stop));
}

TEST(Calendar, DayAndIsoWeekBoundaries) {
  EXPECT_EQ(day_label(monday + 5 * hour), "2026-11-30");
  EXPECT_EQ(week_start(next_monday - s(1)), monday);
  EXPECT_EQ(week_start(next_monday), next_monday);
  EXPECT_EQ(next_week_start(monday + 3 * day), next_monday);
  EXPECT_EQ(iso_week_label(next_monday - s(1)), "2026-W49");
  EXPECT_EQ(iso_week_label(1'798'761'600LL * ns_per_s), "2026-W53");  // Fri 2027-01-01
  EXPECT_EQ(iso_week_label(1'799'020'800LL * ns_per_s), "2027-W01");  // Mon 2027-01-04
  EXPECT_EQ(utc_day(-1), -1);                                          // floors before 1970
  EXPECT_EQ(day_start(-1), -day);
}

TEST(LossLimits, ATransferMovesTheOpeningsAndTheHighWaterMarkNotThePnl) {
  loss_limits l;
  l.update(marks(0, 0), monday + 9 * hour);
  ASSERT_EQ(l.high_water(), usd(10'000));
  l.on_cash_flow(usd(-2'000));  // withdrawn: NAV 8 000 is no 20 % drawdown
  auto st = l.update(ledger_marks{usd(0), usd(0), usd(0), usd(8'000)}, monday + 10 * hour);
  EXPECT_TRUE(st.active.empty());
  EXPECT_EQ(st.high_water, usd(8'000));
  EXPECT_DOUBLE_EQ(st.drawdown_pct, 0.0);
  // A 3 % loss of the new base trips the daily stop (−240 of the 8 000 the day now opens at).
  st = l.update(ledger_marks{usd(-240), usd(-240), usd(0), usd(7'760)}, monday + 11 * hour);
  EXPECT_TRUE(active(st, gate_reason::daily_stop));
  EXPECT_NEAR(st.pnl_day_pct, -3.0, 1e-9);
}
