// The virtual clock and event loop: time order, scheduling order on ties, repeating events,
// nothing runs in the past, and a simulated day passes without sleeping.

#include "tools/backtest/sim/event_loop.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace trader;
using namespace trader::backtest;

TEST(EventLoop, RunsByTimeThenBySchedulingOrder) {
  event_loop loop{0};
  std::string seen;
  loop.at(20, [&](ts_ns) { seen += "c"; });
  loop.at(10, [&](ts_ns) { seen += "a"; });
  loop.at(10, [&](ts_ns) { seen += "b"; });
  EXPECT_EQ(loop.run_until(100), 3u);
  EXPECT_EQ(seen, "abc");
  EXPECT_EQ(loop.now(), 100);
}

// Two repeating series that meet: at equal times the lower rank runs first, whichever series
// was scheduled first (backtest's market step, rank 0, before its decision cycle, rank 1).
TEST(EventLoop, AtEqualTimesTheLowerRankRunsFirst) {
  event_loop loop{0};
  std::string seen;
  loop.every(30, [](ts_ns) { return 30; }, [&](ts_ns) { seen += "C"; }, 1);  // scheduled first
  loop.every(10, [](ts_ns) { return 10; }, [&](ts_ns) { seen += "s"; });
  loop.run_until(60);
  EXPECT_EQ(seen, "sssCsssC");
  // Without ranks the series scheduled first wins the tie at 30.
  event_loop plain{0};
  std::string order;
  plain.every(30, [](ts_ns) { return 30; }, [&](ts_ns) { order += "C"; });
  plain.every(10, [](ts_ns) { return 10; }, [&](ts_ns) { order += "s"; });
  plain.run_until(30);
  EXPECT_EQ(order, "ssCs");
}

TEST(EventLoop, AnEventForThePastRunsNowAfterWhatIsDue) {
  event_loop loop{0};
  std::vector<ts_ns> at;
  loop.at(50, [&](ts_ns now) {
    at.push_back(now);
    loop.at(10, [&](ts_ns t) { at.push_back(t); });  // asked for the past
  });
  loop.run_until(60);
  ASSERT_EQ(at.size(), 2u);
  EXPECT_EQ(at[1], 50);  // never before the current time
}

TEST(EventLoop, RepeatingEventsFollowTheirIntervalAndStopAtTheEnd) {
  event_loop loop{0};
  std::vector<ts_ns> ticks;
  loop.every(10, [](ts_ns) { return 10; }, [&](ts_ns now) { ticks.push_back(now); });
  loop.run_until(45);
  EXPECT_EQ(ticks, (std::vector<ts_ns>{10, 20, 30, 40}));
  loop.run_until(60);  // continues where it stopped
  EXPECT_EQ(ticks.back(), 60);
}

TEST(EventLoop, AZeroIntervalEndsARepeatingEvent) {
  event_loop loop{0};
  int n = 0;
  loop.every(5, [&](ts_ns) { return n < 3 ? 5 : 0; }, [&](ts_ns) { ++n; });
  loop.run_until(1'000);
  EXPECT_EQ(n, 3);
  EXPECT_EQ(loop.pending(), 0u);
}

TEST(EventLoop, ADayOfMinuteCyclesRunsInVirtualTime) {
  event_loop loop{0};
  std::int64_t cycles = 0;
  loop.every(60 * ns_per_s, [](ts_ns) { return 60 * ns_per_s; }, [&](ts_ns) { ++cycles; });
  loop.run_until(86'400 * ns_per_s);
  EXPECT_EQ(cycles, 1'440);
  EXPECT_EQ(loop.clock().now(), 86'400 * ns_per_s);
}

TEST(EventLoop, StopEndsTheRunAfterTheCurrentEvent) {
  event_loop loop{0};
  int n = 0;
  loop.every(1, [](ts_ns) { return 1; }, [&](ts_ns) {
    if (++n == 5)
      loop.stop();
  });
  loop.run_until(100);
  EXPECT_EQ(n, 5);
  EXPECT_EQ(loop.now(), 5);
}

TEST(VirtualClock, NeverGoesBackwards) {
  virtual_clock c{100};
  c.advance_to(50);
  EXPECT_EQ(c.now(), 100);
  c.advance_to(150);
  EXPECT_EQ(c.now(), 150);
}

} // namespace
