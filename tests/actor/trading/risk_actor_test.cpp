// The risk actor as a level-triggered gate (issue 12 item 1). Each test names the review row
// (../shared/reviews/foundation.md) it would have caught: on 19ad4bf risk asked nobody at
// start, took every clear from anyone, resumed whatever it was told, and acknowledged the
// kill switch before it was persisted.

#include "actors/infra/state/state_actor.hpp"
#include "actors/trading/risk/risk_actor.hpp"
#include "messages/names.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/child_process.hpp"

#include <memory>
#include <optional>

using namespace trader;
using namespace std::chrono_literals;

namespace {

bool holds(const gate_changed& g, gate_reason r) {
  for (auto& e : g.reasons)
    if (e.reason == r)
      return true;
  return false;
}

/// A gate source as the real ones are built: a gate_reporter, answering risk's question.
struct fake_source_state {
  core::gate_reporter gate{"clock"};
  int asked = 0;
};
caf::behavior fake_source(caf::stateful_actor<fake_source_state>* self, core::registry* reg) {
  return {
    [=](const report_gate_conditions&) {
      ++self->state.asked;
      core::report_gate(self, *reg, self->state.gate, 42);
    },
    [=](gate_reason r, bool active) {
      if (self->state.gate.update(r, active, "fake detail"))
        core::report_gate(self, *reg, self->state.gate, 43);
    },
  };
}

/// A state actor that persists into `log` and fails while `fail` is set.
struct fake_state_box {
  std::vector<gate_changed> persisted;
  bool fail = false;
};
caf::behavior fake_state(caf::event_based_actor*, std::shared_ptr<fake_state_box> box) {
  return {
    [=](const persist_gate& p) -> caf::result<caf::ok_atom> {
      if (box->fail)
        return make_error(errc::state_unavailable, "fdatasync: Input/output error");
      box->persisted.push_back(p.gate);
      return caf::ok_atom::value;
    },
    [=](const gate_changed&) {},
  };
}

class RiskActorTest : public test::actor_fixture {
protected:
  template <class Msg>
  std::shared_ptr<replied<gate_changed>> ask(const caf::actor& dst, Msg msg) {
    return request<gate_changed>(dst, std::chrono::seconds(30), msg);
  }
  gate_changed gate_of(const caf::actor& risk) {
    auto a = ask(risk, get_gate{});
    EXPECT_TRUE(a->value.has_value());
    return a->value.value_or(gate_changed{});
  }
  caf::actor spawn_risk_now(std::vector<std::string> sources) {
    auto r = keep(risk::spawn_risk(sys(), reg_, risk::trading_gate::closed_at_start(1), {}, std::move(sources)));
    reg_.put(names::risk, r);
    run();
    return r;
  }
  std::shared_ptr<fake_state_box> state_box = std::make_shared<fake_state_box>();
  caf::actor state = keep(sys().spawn(fake_state, state_box));
  void SetUp() override { reg_.put(names::state, state); }
};

} // namespace

// Review row #2: a restarted risk asks every source for its current conditions, so a reason
// raised while risk was between instances is there at once.
TEST_F(RiskActorTest, ARestartedRiskAsksEverySourceAndRebuildsTheGate) {
  auto src = keep(sys().spawn(fake_source, &reg_));
  reg_.put(names::clock, src);
  caf::anon_send(src, gate_reason::clock_skew, true);  // risk is absent: this report is dropped
  run();
  auto risk1 = spawn_risk_now({names::clock});
  EXPECT_TRUE(holds(gate_of(risk1), gate_reason::clock_skew));
  caf::anon_send_exit(risk1, caf::exit_reason::kill);
  run();
  auto risk2 = spawn_risk_now({names::clock});
  auto g = gate_of(risk2);
  EXPECT_TRUE(holds(g, gate_reason::clock_skew));
  EXPECT_TRUE(holds(g, gate_reason::startup));
}

// Review row #2: the periodic re-assert repairs a report that was lost.
TEST_F(RiskActorTest, APeriodicReassertRepairsALostReport) {
  struct src_state {
    core::gate_reporter gate{names::rate_limiter};
  };
  auto src = keep(sys().spawn([this](caf::stateful_actor<src_state>* self) -> caf::behavior {
    self->state.gate.set(gate_reason::api_error_burst, "burst");
    core::start_gate_reassert(self);
    return {core::gate_report_handler(self, reg_, [self]() -> const core::gate_reporter& { return self->state.gate; },
                                      [] { return ts_ns{7}; })};
  }));
  reg_.put(names::rate_limiter, src);
  auto r = spawn_risk_now({});  // asks nobody: only the re-assert can tell it
  EXPECT_FALSE(holds(gate_of(r), gate_reason::api_error_burst));
  advance(std::chrono::milliseconds(gate_reassert_interval_ms));
  EXPECT_TRUE(holds(gate_of(r), gate_reason::api_error_burst));
}

// Review rows #11/#12: resume is refused while the source asserts the reason; the reason
// clears by itself when the source stops asserting it, and no other source can clear it.
TEST_F(RiskActorTest, ResumeIsRefusedWhileTheSourceStillAssertsAndNamesIt) {
  auto src = keep(sys().spawn(fake_source, &reg_));
  reg_.put(names::clock, src);
  auto r = spawn_risk_now({names::clock});
  caf::anon_send(src, gate_reason::clock_skew, true);
  run();
  caf::anon_send(r, gate_signal{gate_reason::clock_skew, false, "", "market_data", 5, {}});
  run();
  EXPECT_TRUE(holds(gate_of(r), gate_reason::clock_skew));
  auto refused = ask(r, resume_gate{gate_reason::clock_skew, "uid=0", false});
  ASSERT_TRUE(refused->done);
  EXPECT_FALSE(refused->value);
  EXPECT_TRUE(is(refused->err, errc::rejected));
  EXPECT_NE(describe(refused->err).find("clock reports fake detail"), std::string::npos) << describe(refused->err);
  caf::anon_send(src, gate_reason::clock_skew, false);
  run();
  EXPECT_FALSE(holds(gate_of(r), gate_reason::clock_skew));
}

// Review row #11: `resume startup` is refused without a reconcile unless forced.
TEST_F(RiskActorTest, ResumeStartupNeedsForce) {
  auto r = spawn_risk_now({});
  auto refused = ask(r, resume_gate{gate_reason::startup, "uid=0", false});
  EXPECT_TRUE(is(refused->err, errc::rejected));
  EXPECT_NE(describe(refused->err).find("--force"), std::string::npos);
  auto ok = ask(r, resume_gate{gate_reason::startup, "uid=0", true});
  ASSERT_TRUE(ok->value);
  EXPECT_TRUE(ok->value->open);
}

// Review row #14: the kill switch is answered only once state has persisted it, and the
// answer says so when it could not be.
TEST_F(RiskActorTest, TheKillSwitchIsAcknowledgedOnlyOnceDurable) {
  auto r = spawn_risk_now({});
  auto ok = ask(r, raise_gate{gate_signal{gate_reason::kill_switch, true, "operator", "control uid=0", 3, {}}});
  ASSERT_TRUE(ok->value) << describe(ok->err);
  EXPECT_TRUE(holds(*ok->value, gate_reason::kill_switch));
  ASSERT_FALSE(state_box->persisted.empty());
  EXPECT_TRUE(holds(state_box->persisted.back(), gate_reason::kill_switch));

  state_box->fail = true;
  auto r2 = ask(r, raise_gate{gate_signal{gate_reason::safe_halt, true, "test", "root", 4, {}}});
  ASSERT_TRUE(r2->done);
  EXPECT_FALSE(r2->value);
  EXPECT_NE(describe(r2->err).find("NOT durable"), std::string::npos) << describe(r2->err);
  EXPECT_TRUE(holds(gate_of(r), gate_reason::safe_halt));  // in force anyway
}

// Review row #14: with state between instances the write is retried until it lands.
TEST_F(RiskActorTest, AGateThatCouldNotBePersistedIsRetried) {
  reg_.erase_if(names::state, state.address());
  auto r = spawn_risk_now({});
  auto a = ask(r, raise_gate{gate_signal{gate_reason::kill_switch, true, "operator", "control uid=0", 3, {}}});
  EXPECT_FALSE(a->value);
  EXPECT_TRUE(state_box->persisted.empty());
  reg_.put(names::state, state);
  advance(std::chrono::seconds(1));
  ASSERT_FALSE(state_box->persisted.empty());
  EXPECT_TRUE(holds(state_box->persisted.back(), gate_reason::kill_switch));
}

// The state actor as a gate source on CAF's real scheduler, over a fresh store; the test
// plays risk.
class StateGateSource : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(persistence::init_store(dir / "state", false).ok());
    auto opened = persistence::open_store(dir / "state");
    ASSERT_TRUE(opened.ok());
    store = std::move(*opened);
    reg.put(names::risk, risk);
  }
  caf::actor spawn_state() {
    auto st = state::spawn_state(sys, reg, store, "", state::reverify_options{std::chrono::seconds{0}, ""});
    reg.put(names::state, st);
    return st;
  }

  core::system_config cfg{core::runtime_options{}};
  caf::actor_system sys{cfg};
  core::registry reg;
  test::temp_dir dir{"state-gate"};
  std::shared_ptr<persistence::state_store> store;
  caf::scoped_actor risk{sys};
};

// Review row #1 (E5): a state actor whose store failed at run time keeps asserting
// state_unavailable — to a restarted risk too — instead of reporting it once.
TEST_F(StateGateSource, AFailedStoreIsReassertedToEveryRiskThatAsks) {
  store->mark_failed(persistence::make_error(persistence::store_errc::write_failed, "fdatasync: Input/output error"));
  auto st = spawn_state();
  auto expect_report = [&] {
    bool got = false;
    risk->receive_while([&] { return !got; })(
      [&](const gate_conditions& c) {
        EXPECT_EQ(c.source, names::state);
        ASSERT_EQ(c.active.size(), 1u);
        EXPECT_EQ(c.active[0].reason, gate_reason::state_unavailable);
        EXPECT_NE(c.active[0].detail.find("Input/output error"), std::string::npos);
        got = true;
      },
      [&](caf::message&) {}, caf::after(std::chrono::seconds(10)) >> [&] { got = true; ADD_FAILURE() << "no report"; });
  };
  expect_report();  // at start
  risk->send(st, report_gate_conditions{});
  expect_report();  // and to every risk that asks
  risk->send(st, report_gate_conditions{});
  expect_report();
  caf::anon_send_exit(st, caf::exit_reason::kill);
}

// Found by the chaos soak (a full disk): the store is shared by every writer, and a commit
// that failed in another actor (order_lifecycle booking a fill) poisoned it without the
// state actor knowing — the gate stayed open until the state actor's own next write failed.
// It now watches the store and closes the gate by itself, unasked.
TEST_F(StateGateSource, AStorePoisonedByAnotherWriterClosesTheGateUnasked) {
  auto st = spawn_state();
  // Healthy: whatever it reports holds nothing.
  risk->send(st, report_gate_conditions{});
  risk->receive([&](const gate_conditions& c) { EXPECT_TRUE(c.active.empty()); },
                caf::after(std::chrono::seconds(10)) >> [&] { ADD_FAILURE() << "no answer"; });
  // Another writer's commit fails (ENOSPC at fsync): the store is poisoned behind the actor.
  store->mark_failed(persistence::make_error(persistence::store_errc::write_failed, "mdb_txn_commit: No space left"));
  // Unasked: only the state actor's own reports (empty periodic re-asserts until it looks).
  bool got = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!got && std::chrono::steady_clock::now() < deadline)
    risk->receive(
      [&](const gate_conditions& c) {
        if (c.active.empty())
          return;
        ASSERT_EQ(c.active.size(), 1u);
        EXPECT_EQ(c.active[0].reason, gate_reason::state_unavailable);
        EXPECT_NE(c.active[0].detail.find("No space left"), std::string::npos) << c.active[0].detail;
        got = true;
      },
      [&](caf::message&) {}, caf::after(std::chrono::milliseconds(200)) >> [] {});
  EXPECT_TRUE(got) << "the gate was not closed within 10 s of the store's poisoning";
  caf::anon_send_exit(st, caf::exit_reason::kill);
}
