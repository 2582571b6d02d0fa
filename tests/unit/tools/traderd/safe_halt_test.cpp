// Review row #3: the safe halt must not depend on the subtree that failed. safe_halt with fake
// dependencies (order: persist before anything else; a store failure still cancels and
// alerts and is reported; the report's content), the real persist step against an LMDB store,
// the direct alert to the sinks, and the non-LIVE cancel path.
// Review row #4: a deliberate halt keeps the systemd watchdog fed (watchdog_healthy).

#include "actors/infra/alerting/alerting_options.hpp"
#include "runtime/persistence/state_store.hpp"
#include "runtime/persistence/store_init.hpp"
#include "tests/support/child_process.hpp"
#include "tools/traderd/actor_factories.hpp"
#include "tools/traderd/loop_chores.hpp"
#include "tools/traderd/safe_halt.hpp"
#include "tools/traderd/safe_halt_deps.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <stdexcept>
#include <thread>

using namespace trader;
using namespace trader::daemon;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

bool any_contains(const std::vector<std::string>& v, const std::string& part) {
  return std::any_of(v.begin(), v.end(), [&](auto& s) { return contains(s, part); });
}

/// Fake dependencies that record every call in order.
struct fakes {
  std::mutex mtx;
  std::vector<std::string> calls;
  halt_step persist_result{true, "committed"};
  bool throw_in_persist = false;
  bool risk_running = false;
  bool lifecycle_running = false;
  halt_cancel_outcome cancel_result{true, "rest", 2, 2, 0, "LIVE: 2 open order(s) listed over REST, 2 cancelled, 0 not", {}};
  std::string persisted_why;
  ts_ns persisted_at = 0;
  gate_signal risk_signal;
  alert sent;
  std::optional<safe_halt_report> recorded;

  void note(std::string c) {
    std::lock_guard g{mtx};
    calls.push_back(std::move(c));
  }
  safe_halt_deps deps() {
    safe_halt_deps d;
    d.now = [] { return ts_ns{1'700'000'000'000'000'000}; };
    d.persist = [this](const std::string& why, ts_ns at) {
      note("persist");
      if (throw_in_persist)
        throw std::runtime_error("MDB_PANIC");
      persisted_why = why;
      persisted_at = at;
      return persist_result;
    };
    d.notify_risk = [this](const gate_signal& s) {
      note("risk");
      risk_signal = s;
      return risk_running;
    };
    d.notify_order_lifecycle = [this](const std::string&) {
      note("order_lifecycle");
      return lifecycle_running;
    };
    d.cancel_open_orders = [this](const std::string&) {
      note("cancel");
      return cancel_result;
    };
    d.alert = [this](const alert& a) {
      note("alert");
      sent = a;
      return halt_alert_outcome{true, 2, 2, {}};
    };
    d.record = [this](const safe_halt_report& r) {
      note("record");
      recorded = r;
    };
    return d;
  }
};

const std::string why = "restart intensity exceeded (1 in 60000 ms) after child trading exited: trader:restart_intensity_exceeded";

// Review row #3: the halt is durable before anything else happens.
TEST(SafeHalt, PersistsBeforeAnythingElseThenCancelsAndAlerts) {
  fakes f;
  safe_halt halt{f.deps()};
  EXPECT_FALSE(halt.halted());
  auto r = halt.run("root", why);
  ASSERT_FALSE(f.calls.empty());
  EXPECT_EQ(f.calls.front(), "persist");
  EXPECT_EQ(f.calls, (std::vector<std::string>{"persist", "risk", "order_lifecycle", "cancel", "alert", "record"}));
  EXPECT_EQ(f.persisted_why, why);
  EXPECT_EQ(f.persisted_at, r.started_at);
  EXPECT_EQ(f.risk_signal.reason, gate_reason::safe_halt);
  EXPECT_TRUE(f.risk_signal.active);
  EXPECT_TRUE(halt.halted());
  EXPECT_TRUE(r.complete());
  EXPECT_TRUE(r.errors.empty()) << r.to_json().dump();
}

// Review row #3: a failed store write must not stop the cancels or the page, and says so.
TEST(SafeHalt, StoreFailureStillCancelsAndAlertsAndIsReported) {
  fakes f;
  f.persist_result = halt_step{false, "state store refuses writes after: fdatasync: Input/output error"};
  safe_halt halt{f.deps()};
  auto r = halt.run("root", why);
  EXPECT_EQ(f.calls, (std::vector<std::string>{"persist", "risk", "order_lifecycle", "cancel", "alert", "record"}));
  EXPECT_FALSE(r.persisted.ok);
  EXPECT_TRUE(contains(r.persisted.detail, "Input/output error"));
  EXPECT_TRUE(any_contains(r.errors, "NOT persisted")) << r.to_json().dump();
  EXPECT_TRUE(r.cancel.ok);
  EXPECT_TRUE(r.alert.ok);
  EXPECT_TRUE(contains(f.sent.detail, "NOT persisted")) << f.sent.detail;  // the page says so too
  EXPECT_EQ(f.sent.level, severity::critical);
}

// Review row #3: a dependency that throws is a failed step, never a halt that stops halfway.
TEST(SafeHalt, ThrowingStoreIsAFailedStepAndTheRestStillRuns) {
  fakes f;
  f.throw_in_persist = true;
  safe_halt halt{f.deps()};
  auto r = halt.run("root", why);
  EXPECT_EQ(f.calls, (std::vector<std::string>{"persist", "risk", "order_lifecycle", "cancel", "alert", "record"}));
  EXPECT_FALSE(r.persisted.ok);
  EXPECT_TRUE(any_contains(r.errors, "MDB_PANIC")) << r.to_json().dump();
  EXPECT_TRUE(r.complete());
}

// Review row #3: the report says what was persisted, cancelled, alerted, when, and why.
TEST(SafeHalt, ReportContentAndStatusObject) {
  fakes f;
  f.risk_running = false;  // the failed subtree took risk with it
  f.lifecycle_running = false;
  f.cancel_result = halt_cancel_outcome{false, "rest", 3, 2, 1, "LIVE: 3 open order(s) listed over REST, 2 cancelled, 1 not",
                                        {"o-3: UNKNOWN_CANCEL_ORDER"}};
  safe_halt halt{f.deps()};
  EXPECT_EQ(halt.status_json(), (nlohmann::json{{"halted", false}}));
  halt.run("root", why);
  auto j = halt.status_json();
  ASSERT_TRUE(j["halted"].get<bool>());
  auto& rep = j["report"];
  EXPECT_EQ(rep["supervisor"], "root");
  EXPECT_EQ(rep["why"], why);
  EXPECT_FALSE(rep["started_at"].get<std::string>().empty());
  EXPECT_TRUE(rep["complete"].get<bool>());
  EXPECT_TRUE(rep["persisted"]["ok"].get<bool>());
  EXPECT_FALSE(rep["risk_notified"].get<bool>());
  EXPECT_FALSE(rep["cancel"]["ok"].get<bool>());
  EXPECT_EQ(rep["cancel"]["path"], "rest");
  EXPECT_EQ(rep["cancel"]["open_orders"], 3);
  EXPECT_EQ(rep["cancel"]["cancelled"], 2);
  EXPECT_EQ(rep["cancel"]["failed"], 1);
  EXPECT_EQ(rep["cancel"]["failures"][0], "o-3: UNKNOWN_CANCEL_ORDER");
  EXPECT_FALSE(rep["cancel"]["order_lifecycle_notified"].get<bool>());
  EXPECT_EQ(rep["alert"]["delivered"], 2);
  EXPECT_TRUE(any_contains(rep["errors"].get<std::vector<std::string>>(), "NOT (all) cancelled"));
  ASSERT_TRUE(f.recorded);  // the audit log gets the finished report
  EXPECT_TRUE(f.recorded->complete());
  EXPECT_EQ(f.sent.type, "safe_halt");
  EXPECT_EQ(f.sent.fingerprint, "safe_halt");
  EXPECT_TRUE(contains(f.sent.detail, "traderctl resume safe_halt"));
}

// Review row #3: the root escalates once; a second call changes nothing.
TEST(SafeHalt, RunsOnceOnly) {
  fakes f;
  safe_halt halt{f.deps()};
  auto first = halt.run("root", why);
  auto second = halt.run("root", "another escalation");
  EXPECT_EQ(second.why, why);
  EXPECT_EQ(std::count(f.calls.begin(), f.calls.end(), "persist"), 1);
}

// Review row #3: trigger (the on_escalate hook) is halted at once and finishes on its own thread.
TEST(SafeHalt, TriggerMarksHaltedAtOnceAndFinishesOnItsThread) {
  fakes f;
  std::mutex gate;
  gate.lock();  // hold the cancel step until the test has looked
  auto d = f.deps();
  d.cancel_open_orders = [&](const std::string&) {
    std::lock_guard g{gate};
    return halt_cancel_outcome{true, "none", -1, 0, 0, "DRY_RUN: nothing", {}};
  };
  safe_halt halt{d};
  halt.trigger("root", why);
  EXPECT_TRUE(halt.halted());
  auto r = halt.report();
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->complete());
  gate.unlock();
  for (int i = 0; i < 500 && !halt.report()->complete(); ++i)
    std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(halt.report()->complete());
  // Under the fixture's lock: the halt's thread records the report after it is complete, so
  // it may still be appending (a race TSan found, 2026-12-08).
  std::lock_guard g{f.mtx};
  EXPECT_EQ(f.calls.front(), "persist");
}

// traderd declares the halt before the actor system (a `status` helper still running at
// shutdown reads its report) and joins its thread before the actor system goes: the joiner
// waits for the halt's thread, and the report stays readable afterwards.
TEST(SafeHalt, JoinerWaitsForTheHaltsThreadAndTheReportStaysReadable) {
  fakes f;
  auto d = f.deps();
  d.cancel_open_orders = [&](const std::string&) {
    std::this_thread::sleep_for(200ms);  // the halt is still running when the scope ends
    return halt_cancel_outcome{true, "none", -1, 0, 0, "DRY_RUN: nothing", {}};
  };
  safe_halt halt{d};
  {
    halt_joiner join{halt};
    halt.trigger("root", why);
    EXPECT_FALSE(halt.report()->complete());
  }
  EXPECT_TRUE(halt.report()->complete());
  EXPECT_TRUE(halt.status_json().value("halted", false));
  halt.join();  // nothing left to join: returns at once
  safe_halt idle{f.deps()};
  { halt_joiner join{idle}; }  // never triggered: nothing to wait for
  EXPECT_FALSE(idle.halted());
}

// Review row #3: the real persist step merges safe_halt into the persisted gate, durably,
// and keeps the reasons already there.
TEST(SafeHaltPersist, MergesIntoThePersistedGateKeepingTheOthers) {
  test::temp_dir dir{"safe_halt_persist"};
  auto state = dir / "state";
  ASSERT_TRUE(persistence::init_store(state, false).ok());
  {
    auto store = persistence::open_store(state);
    ASSERT_TRUE(store) << store.error().describe();
    persistence::gate_record g;
    g.reasons = {{"kill_switch", "operator", 10}, {"startup", "until reconcile", 11}};
    ASSERT_TRUE((*store)->put_gate(g).ok());
    auto r = persist_safe_halt(store->get(), "", "root gave up", 42);
    EXPECT_TRUE(r.ok) << r.detail;
    auto again = persist_safe_halt(store->get(), "", "root gave up again", 43);  // one entry, the latest
    EXPECT_TRUE(again.ok) << again.detail;
  }
  auto store = persistence::open_store(state);  // what the next process reads
  ASSERT_TRUE(store) << store.error().describe();
  auto g = (*store)->get_gate();
  ASSERT_TRUE(g && *g);
  std::vector<std::string> names;
  for (auto& r : (*g)->reasons)
    names.push_back(r.reason);
  EXPECT_EQ(names, (std::vector<std::string>{"kill_switch", "startup", "safe_halt"}));
  EXPECT_EQ((*g)->reasons.back().detail, "root gave up again");
  EXPECT_EQ((*g)->reasons.back().since, 43);
  EXPECT_FALSE((*g)->open);
}

TEST(SafeHaltPersist, FailsWithTheReasonWithoutAStore) {
  auto r = persist_safe_halt(nullptr, "state store /x: missing", "why", 1);
  EXPECT_FALSE(r.ok);
  EXPECT_TRUE(contains(r.detail, "missing")) << r.detail;
}

/// A transport whose every POST fails, counting them.
struct failing_transport final : alerting::alert_transport {
  int posts = 0;
  alerting::transport_result post(const alerting::outbound_request&, std::chrono::milliseconds) override {
    ++posts;
    return alerting::transport_result{false, 0, "connection refused", false};
  }
};

// Review row #3: the alert goes to the sinks themselves (no alerting actor); a failing
// webhook is reported, the log sink always takes it.
TEST(SafeHaltAlert, GoesToEverySinkDirectly) {
  alerting::sink_config hook;
  hook.name = "ops-slack";
  hook.kind = alerting::sink_kind::slack;
  hook.url = "http://127.0.0.1:1/hook";
  auto pager = hook;
  pager.name = "pager";
  pager.escalation_only = true;  // nothing will escalate it later: it gets the halt too
  failing_transport t;
  auto out = alert_sinks_directly(alert{"safe_halt", severity::critical, "safe_halt", "t", "d", "root", false, 1},
                                  {alerting::log_sink(), hook, pager}, t);
  EXPECT_EQ(out.sinks, 3);
  EXPECT_EQ(out.delivered, 1);
  EXPECT_EQ(t.posts, 2);
  EXPECT_TRUE(out.ok);
  ASSERT_EQ(out.failures.size(), 2u);
  EXPECT_TRUE(contains(out.failures[0], "connection refused"));
}

// Review row #3: DRY_RUN and PAPER place no exchange order, and the report says so; LIVE
// without a key cannot list or cancel and says that.
TEST(SafeHaltCancel, NonLiveHasNothingOnTheExchangeAndLiveWithoutAKeyFails) {
  config_holder holder{config_snapshot{}};
  daemon_context ctx;
  ctx.config = &holder;
  for (auto mode : {config::trading_mode::dry_run, config::trading_mode::paper}) {
    auto d = make_safe_halt_deps(safe_halt_wiring{nullptr, &ctx, mode, nullptr});
    auto c = d.cancel_open_orders("why");
    EXPECT_TRUE(c.ok);
    EXPECT_EQ(c.path, "none");
    EXPECT_TRUE(contains(c.detail, "no order reaches the exchange")) << c.detail;
  }
  auto c = cancel_open_orders_over_rest(exchange::rest_options{}, 1s);
  EXPECT_FALSE(c.ok);
  EXPECT_EQ(c.path, "unavailable");
}

// Review row #4: halted on purpose, the watchdog keeps pinging while CAF's scheduler answers;
// otherwise only a whole, unwedged tree counts.
TEST(SafeHaltWatchdog, AHaltIsHealthyForTheWatchdogWhileTheSchedulerAnswers) {
  EXPECT_TRUE(watchdog_healthy(true, true, true, false));
  EXPECT_FALSE(watchdog_healthy(false, true, true, false));  // a failed child, not halted: restart
  EXPECT_FALSE(watchdog_healthy(true, false, true, false));  // wedged
  EXPECT_TRUE(watchdog_healthy(false, true, true, true));    // safe halt: the tree is down on purpose
  EXPECT_TRUE(watchdog_healthy(false, false, true, true));
  EXPECT_FALSE(watchdog_healthy(false, true, false, true));  // no scheduler: nothing answers the operator
  EXPECT_FALSE(watchdog_healthy(true, true, false, false));
}

} // namespace
