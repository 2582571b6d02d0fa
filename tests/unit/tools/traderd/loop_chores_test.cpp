// The pure parts of traderd's main loop and start-up: chore timing, the PAPER/LIVE runtime
// meter, wedge changes, the gate and status text, and a stage's outcome.

#include "tools/traderd/loop_chores.hpp"
#include "tools/traderd/stage.hpp"

#include <gtest/gtest.h>

#include <memory>

using namespace trader;
using namespace trader::daemon;
using namespace std::chrono_literals;

namespace {

const steady_time t0{};

TEST(Every, IsDueAtItsFirstTimeThenOncePerPeriod) {
  every e{10s, t0};
  EXPECT_TRUE(e.due(t0));
  EXPECT_FALSE(e.due(t0 + 9s));
  EXPECT_TRUE(e.due(t0 + 10s));
  EXPECT_FALSE(e.due(t0 + 10s));
}

TEST(Every, ALatePassRunsTheChoreOnceAndCountsThePeriodFromThatPass) {
  every e{1min, t0 + 1min};
  EXPECT_FALSE(e.due(t0));
  EXPECT_TRUE(e.due(t0 + 5min));  // the loop was stuck: one run, not four
  EXPECT_FALSE(e.due(t0 + 5min + 59s));
  EXPECT_TRUE(e.due(t0 + 6min));
}

TEST(RuntimeMeter, HandsOverWholeSecondsOnceAMinuteCarryingTheRest) {
  runtime_meter m{t0};
  EXPECT_EQ(m.take(t0 + 59s), 0);
  EXPECT_EQ(m.take(t0 + 61500ms), 61);       // the half second stays for the next hand-over
  EXPECT_EQ(m.take(t0 + 120s), 0);           // 59 s since the 61 s handed over
  EXPECT_EQ(m.take(t0 + 121500ms), 60);      // 60.5 s: 60, the half second carried again
  EXPECT_EQ(m.take(t0 + 10min), 600 - 121);  // a stuck loop loses no time
}

TEST(WedgeReport, ReportsOnlyChanges) {
  wedge_report w;
  EXPECT_FALSE(w.changed({}));
  EXPECT_TRUE(w.changed({"risk"}));
  EXPECT_FALSE(w.changed({"risk"}));
  EXPECT_TRUE(w.changed({"orders", "risk"}));
  EXPECT_TRUE(w.changed({}));
  EXPECT_FALSE(w.changed({}));
}

gate_changed closed_by(std::vector<gate_reason> reasons) {
  gate_changed g;
  g.open = false;
  for (auto r : reasons) {
    gate_reason_entry e;
    e.reason = r;
    g.reasons.push_back(e);
  }
  return g;
}

TEST(GateText, NamesEveryClosingReasonInOrder) {
  gate_changed open;
  open.open = true;
  EXPECT_EQ(gate_text(open), "OPEN");
  EXPECT_EQ(gate_text(closed_by({gate_reason::kill_switch, gate_reason::startup})), "CLOSED(kill_switch,startup)");
}

TEST(GateStatus, StartsClosedByStartupAndFollowsTheGate) {
  gate_status s;
  EXPECT_EQ(s.text(), "CLOSED(startup)");
  s.on_gate(closed_by({gate_reason::state_unavailable}));
  EXPECT_EQ(s.text(), "CLOSED(state_unavailable)");
}

TEST(StatusText, CountsRunningActorsAndShowsTheStore) {
  health_report up, down;
  up.state = actor_run_state::running;
  down.state = actor_run_state::restarting;
  EXPECT_EQ(status_text("PAPER", "OPEN", {up, up, down}, true, "abcd"),
            "PAPER gate=OPEN actors=2/3 store=ok config=abcd");
  EXPECT_EQ(status_text("DRY_RUN", "CLOSED(startup)", {}, false, "ef01"),
            "DRY_RUN gate=CLOSED(startup) actors=0/0 store=UNAVAILABLE config=ef01");
}

TEST(Staged, CarriesTheResourceOrTheExitCode) {
  staged<std::unique_ptr<int>> made{std::make_unique<int>(7)};
  ASSERT_TRUE(made);
  EXPECT_EQ(**made, 7);
  staged<std::unique_ptr<int>> refused{exit_config};
  EXPECT_FALSE(refused);
  EXPECT_EQ(refused.code(), exit_config);
}

} // namespace
