// Supervisor semantics (OTP): restart strategies, intensity and escalation, restart types,
// ordered shutdown, registry re-pointing, restart by name, failing requests. The review
// fixes (deferred failures, urgent kills, nested replacement, operator restart scope, the
// lost-state hook) are in supervisor_hardening_test.cpp.

#include "tests/actor/runtime/core/supervisor_fixture.hpp"

#include <caf/all.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace trader;
using namespace trader::core;
using namespace trader::test;

namespace {

TEST_F(SupervisorTest, CrashingChildIsRestartedAndReachableUnderItsName) {
  start(restart_strategy::one_for_one, {spec("a"), spec("b")});
  auto before = instance_of("a");
  auto old = reg_.get("a");
  crash("a");
  EXPECT_FALSE(alive(old));
  ASSERT_TRUE(alive(reg_.get("a")));
  EXPECT_NE(instance_of("a"), before);
  EXPECT_EQ(j->started, (std::vector<std::string>{"a", "b", "a"}));  // b untouched
}

TEST_F(SupervisorTest, RestForOneRestartsLaterSiblingsNotEarlier) {
  start(restart_strategy::rest_for_one, {spec("a"), spec("b"), spec("c")});
  auto a = reg_.get("a");
  crash("b");
  EXPECT_EQ(reg_.get("a"), a);  // earlier sibling untouched
  EXPECT_EQ(j->stopped, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(j->started, (std::vector<std::string>{"a", "b", "c", "b", "c"}));
}

TEST_F(SupervisorTest, OneForAllRestartsEveryChildInStartOrder) {
  start(restart_strategy::one_for_all, {spec("a"), spec("b"), spec("c")});
  crash("b");
  EXPECT_EQ(j->stopped, (std::vector<std::string>{"b", "c", "a"}));  // crashed one, then reverse order
  EXPECT_EQ(j->started, (std::vector<std::string>{"a", "b", "c", "a", "b", "c"}));
}

TEST_F(SupervisorTest, TemporaryChildIsNeverRestarted) {
  start(restart_strategy::one_for_one, {spec("t", restart_type::temporary)});
  crash("t");
  EXPECT_FALSE(reg_.get("t"));
  EXPECT_EQ(j->started.size(), 1u);
}

TEST_F(SupervisorTest, TransientChildRestartsOnlyAfterAbnormalExit) {
  start(restart_strategy::one_for_one, {spec("t", restart_type::transient)});
  crash("t");
  ASSERT_TRUE(reg_.get("t"));
  caf::anon_send(reg_.get("t"), quit_atom::value);  // normal exit
  run();
  EXPECT_FALSE(reg_.get("t"));
  EXPECT_EQ(j->started.size(), 2u);
}

TEST_F(SupervisorTest, IntensityWindowSlidesWithTime) {
  auto sup = start(restart_strategy::one_for_one, {spec("a")}, {1, 5000ms});
  crash("a");
  advance(6s);  // the first restart leaves the window
  crash("a");
  EXPECT_TRUE(alive(sup));
  EXPECT_EQ(j->started.size(), 3u);
}

TEST_F(SupervisorTest, IntensityExceededEscalatesExactlyOnceToParent) {
  auto escalations = std::make_shared<int>(0);
  supervisor_spec inner{"inner", restart_strategy::one_for_one, {1, 5000ms}, escalation::exit, {spec("a")}};
  supervisor_spec root{"root", restart_strategy::one_for_one, {5, 5000ms}, escalation::safe_halt,
                       {supervisor_child(inner, env("root")), spec("sibling")}};
  auto e = env();
  e.on_escalate = [escalations](const std::string&, const std::string&) { ++*escalations; };
  auto sup = keep(spawn_supervisor(sys(), root, e));
  run();
  auto first_inner = reg_.get("inner");
  crash("a");  // restart 1 of 1: fine
  EXPECT_EQ(reg_.get("inner"), first_inner);
  crash("a");  // restart 2 within 5 s: inner gives up, root restarts inner once
  EXPECT_NE(reg_.get("inner"), first_inner);
  ASSERT_TRUE(alive(reg_.get("inner")));
  EXPECT_TRUE(alive(reg_.get("a")));
  auto rows = health_.snapshot();
  auto inner_row = std::find_if(rows.begin(), rows.end(), [](auto& r) { return r.name == "inner"; });
  ASSERT_NE(inner_row, rows.end());
  EXPECT_EQ(inner_row->restarts, 1);
  EXPECT_NE(inner_row->last_failure.find("restart_intensity_exceeded"), std::string::npos);
  EXPECT_EQ(*escalations, 0);  // the root absorbed it
  EXPECT_TRUE(alive(sup));
}

TEST_F(SupervisorTest, RootSafeHaltHookRunsOnceAndKeepsOthersUp) {
  auto calls = std::make_shared<std::vector<std::string>>();
  supervisor_spec root{"root", restart_strategy::one_for_one, {1, 5000ms}, escalation::safe_halt,
                       {spec("a"), spec("b")}};
  auto e = env();
  e.on_escalate = [calls](const std::string& sup, const std::string& why) { calls->push_back(sup + ": " + why); };
  auto sup = keep(spawn_supervisor(sys(), root, e));
  run();
  auto b = reg_.get("b");
  crash("a");
  crash("a");  // exceeds 1 in 5 s
  ASSERT_EQ(calls->size(), 1u);
  EXPECT_NE((*calls)[0].find("child a exited"), std::string::npos);
  EXPECT_FALSE(reg_.get("a"));  // not restarted after the halt
  EXPECT_EQ(reg_.get("b"), b);  // the rest stays up for the operator
  caf::anon_send(b, crash_atom::value);
  run();
  EXPECT_EQ(calls->size(), 1u);  // exactly once
  EXPECT_TRUE(alive(sup));
}

TEST_F(SupervisorTest, ShutdownStopsChildrenInReverseOrderAndKillsWedgedOnesAfterTimeout) {
  auto sup = start(restart_strategy::one_for_one,
                   {spec("a"), spec("b", restart_type::permanent, true, 2000ms), spec("c")});
  request_stop(sup);
  run();
  EXPECT_EQ(j->stopped, (std::vector<std::string>{"c"}));  // b ignores the shutdown...
  EXPECT_TRUE(alive(sup));
  advance(1999ms);
  EXPECT_EQ(j->stopped.size(), 1u);
  advance(1ms);  // ...and is killed at its timeout, then a stops
  EXPECT_EQ(j->stopped, (std::vector<std::string>{"c", "b", "a"}));
  EXPECT_FALSE(alive(sup));
}

TEST_F(SupervisorTest, RequestToChildDyingMidRequestReturnsError) {
  start(restart_strategy::one_for_one, {spec("a")});
  auto got = std::make_shared<std::string>();
  auto caller = keep(sys().spawn([=, this](caf::event_based_actor* self) -> caf::behavior {
    reg_.request(self, "a", 5s, die_atom::value)
      .then([=](int) { *got = "value"; }, [=](caf::error& err) { *got = describe(err); });
    return {[](int) {}};  // stays alive after the reply
  }));
  run();
  EXPECT_NE(got->find("runtime_error"), std::string::npos) << *got;
  EXPECT_TRUE(alive(caller));  // the caller got an error, not death or silence
  EXPECT_TRUE(alive(reg_.get("a")));  // and the child was restarted
}

TEST_F(SupervisorTest, RequestQueuedBehindACrashFailsFast) {
  start(restart_strategy::one_for_one, {spec("a")});
  auto got = std::make_shared<std::string>();
  auto target = reg_.get("a");
  caf::anon_send(target, crash_atom::value);
  keep(sys().spawn([=](caf::event_based_actor* self) {
    self->request(target, 5s, id_atom::value)
      .then([=](int) { *got = "value"; }, [=](caf::error& err) { *got = describe(err); });
  }));
  run();
  EXPECT_EQ(*got, "system:request_receiver_down");
}

TEST_F(SupervisorTest, RequestToUnregisteredNameFailsAtOnce) {
  start(restart_strategy::one_for_one, {});
  EXPECT_EQ(instance_of("nobody"), -1);
}

TEST_F(SupervisorTest, RestartOfUnknownChildIsRefusedWithError) {
  auto sup = start(restart_strategy::one_for_one, {spec("a")});
  auto reply = std::make_shared<std::string>();
  keep(sys().spawn([=](caf::event_based_actor* self) {
    self->request(sup, 5s, sup_restart_atom::value, std::string{"zzz"})
      .then([=](caf::ok_atom) { *reply = "ok"; }, [=](caf::error& err) { *reply = describe(err); });
  }));
  run();
  EXPECT_NE(reply->find("unknown_child"), std::string::npos) << *reply;
}

TEST_F(SupervisorTest, FailingStartFunctionCountsTowardIntensity) {
  auto attempts = std::make_shared<int>(0);
  child_spec bad;
  bad.name = "bad";
  bad.start = [attempts](caf::actor_system&) -> caf::actor {
    ++*attempts;
    throw std::runtime_error("cannot open");
  };
  auto sup = start(restart_strategy::one_for_one, {bad}, {2, 5000ms});
  EXPECT_EQ(*attempts, 3);  // first start + 2 restarts, then it gives up
  EXPECT_FALSE(alive(sup));
}

TEST_F(SupervisorTest, HealthBoardShowsTreeAndRestarts) {
  start(restart_strategy::one_for_one, {spec("a"), spec("b")});
  crash("a");
  auto tree = health_.render_tree();
  EXPECT_NE(tree.find("sup [supervisor] running"), std::string::npos) << tree;
  EXPECT_NE(tree.find("  a running restarts=1"), std::string::npos) << tree;
  EXPECT_TRUE(health_.all_running());
}

} // namespace
