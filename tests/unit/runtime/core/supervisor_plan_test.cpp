// The supervisor's pure decisions: which children a restart touches, in what order, and OTP's
// restart-intensity window.

#include "runtime/core/supervisor_plan.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using namespace trader::core;

namespace {

using idx = std::vector<std::size_t>;

std::vector<child_view> running(std::size_t n) { return std::vector<child_view>(n, child_view{restart_type::permanent, true, true}); }

TEST(PlanRestart, OneForOneTouchesOnlyTheFailedChild) {
  auto kids = running(3);
  kids[1].alive = false;
  auto p = plan_restart(restart_strategy::one_for_one, kids, 1);
  EXPECT_EQ(p.terminate, idx{});
  EXPECT_EQ(p.start, idx{1});
}

TEST(PlanRestart, RestForOneStopsLaterSiblingsInReverseAndStartsInOrder) {
  auto kids = running(4);
  kids[1].alive = false;
  auto p = plan_restart(restart_strategy::rest_for_one, kids, 1);
  EXPECT_EQ(p.terminate, (idx{3, 2}));
  EXPECT_EQ(p.start, (idx{1, 2, 3}));
}

TEST(PlanRestart, OneForAllStopsEveryOtherChildAndStartsAll) {
  auto kids = running(3);
  kids[1].alive = false;
  auto p = plan_restart(restart_strategy::one_for_all, kids, 1);
  EXPECT_EQ(p.terminate, (idx{2, 0}));
  EXPECT_EQ(p.start, (idx{0, 1, 2}));
}

// Review #16: an operator restart (the child is alive) stops the named child with its range.
TEST(PlanRestart, OperatorRestartStopsTheNamedChildWithItsRange) {
  auto p = plan_restart(restart_strategy::rest_for_one, running(3), 1);
  EXPECT_EQ(p.terminate, (idx{2, 1}));
  EXPECT_EQ(p.start, (idx{1, 2}));
  EXPECT_EQ(plan_restart(restart_strategy::one_for_one, running(3), 1).terminate, idx{1});
}

// Review #8: a sibling that died too (its failure deferred) is started by the same restart.
TEST(PlanRestart, DeadSiblingInTheRangeIsStartedNotStopped) {
  auto kids = running(4);
  kids[0].alive = false;
  kids[2].alive = false;
  auto p = plan_restart(restart_strategy::rest_for_one, kids, 0);
  EXPECT_EQ(p.terminate, (idx{3, 1}));
  EXPECT_EQ(p.start, (idx{0, 1, 2, 3}));
}

TEST(PlanRestart, TemporarySiblingsAreStoppedAndDroppedInactiveOnesStayDown) {
  auto kids = running(4);
  kids[0].alive = false;
  kids[1].restart = restart_type::temporary;
  kids[2].alive = false;
  kids[2].active = false;
  auto p = plan_restart(restart_strategy::rest_for_one, kids, 0);
  EXPECT_EQ(p.terminate, (idx{3, 1}));
  EXPECT_EQ(p.start, (idx{0, 3}));
  EXPECT_EQ(p.dropped, idx{1});
}

TEST(PlanRestart, OutOfRangeIndexPlansNothing) {
  auto p = plan_restart(restart_strategy::one_for_all, running(2), 5);
  EXPECT_TRUE(p.terminate.empty());
  EXPECT_TRUE(p.start.empty());
}

TEST(RestartWindow, AllowsMaxRestartsWithinThePeriodAndSlides) {
  restart_window w{{2, 5000ms}};
  restart_window::time_point t0{};
  EXPECT_TRUE(w.add(t0));
  EXPECT_TRUE(w.add(t0 + 1s));
  EXPECT_FALSE(w.add(t0 + 2s));  // three within 5 s
  restart_window v{{1, 5000ms}};
  EXPECT_TRUE(v.add(t0));
  EXPECT_TRUE(v.add(t0 + 5001ms));  // the first stamp left the window
}

TEST(RestartWindow, ZeroRestartsGivesUpOnTheFirst) {
  restart_window w{{0, 5000ms}};
  EXPECT_FALSE(w.add(restart_window::time_point{}));
}

} // namespace
