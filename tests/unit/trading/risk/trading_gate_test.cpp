#include "actors/trading/risk/trading_gate.hpp"
#include "messages/names.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::risk;

namespace {
gate_signal raise(gate_reason r) { return gate_signal{r, true, "detail", "test", 1}; }
gate_signal clear(gate_reason r) { return gate_signal{r, false, "", "test", 2}; }
} // namespace

TEST(TradingGate, StartsClosedUntilFirstReconcile) {
  auto g = trading_gate::closed_at_start(0);
  EXPECT_FALSE(g.is_open());
  EXPECT_FALSE(g.check(order_effect::reduce_only).allowed);
  EXPECT_TRUE(g.apply(gate_signal{gate_reason::startup, false, "", "risk", 1}));
  EXPECT_TRUE(g.is_open());
}

TEST(TradingGate, CancelsAreAlwaysAllowed) {
  trading_gate g;
  g.apply(raise(gate_reason::kill_switch));
  g.apply(raise(gate_reason::state_unavailable));
  EXPECT_TRUE(g.check(order_effect::cancel).allowed);
}

TEST(TradingGate, ReduceOnlyPassesDailyStopButNotKillSwitch) {
  trading_gate g;
  g.apply(raise(gate_reason::daily_stop));
  EXPECT_FALSE(g.check(order_effect::open_or_add).allowed);
  EXPECT_TRUE(g.check(order_effect::reduce_only).allowed);
  g.apply(raise(gate_reason::kill_switch));
  auto d = g.check(order_effect::reduce_only);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.blocking, gate_reason::kill_switch);
}

TEST(TradingGate, UncertainPositionBlocksReduceOnly) {
  for (auto r : {gate_reason::state_unavailable, gate_reason::reconcile_pending, gate_reason::order_timeout,
                 gate_reason::user_stream_gap, gate_reason::actor_lost_state}) {
    trading_gate g;
    g.apply(raise(r));
    EXPECT_FALSE(g.check(order_effect::reduce_only).allowed) << static_cast<int>(r);
  }
}

TEST(TradingGate, StickyReasonsNeedAnOperator) {
  trading_gate g;
  g.apply(raise(gate_reason::state_unavailable));
  EXPECT_FALSE(g.apply(clear(gate_reason::state_unavailable)));
  EXPECT_TRUE(g.has(gate_reason::state_unavailable));
  EXPECT_TRUE(g.resume(gate_reason::state_unavailable, false, 3).changed);
  EXPECT_TRUE(g.is_open());
}

TEST(TradingGate, OpensOnlyWhenEveryReasonIsCleared) {
  trading_gate g;
  g.apply(raise(gate_reason::stale_data));
  g.apply(raise(gate_reason::sequence_gap));
  g.apply(clear(gate_reason::stale_data));
  EXPECT_FALSE(g.is_open());
  g.apply(clear(gate_reason::sequence_gap));
  EXPECT_TRUE(g.is_open());
}

TEST(TradingGate, RepeatedRaiseKeepsSinceAndReportsNoChange) {
  trading_gate g;
  EXPECT_TRUE(g.apply(gate_signal{gate_reason::clock_skew, true, "200ms", "clock", 10}));
  EXPECT_FALSE(g.apply(gate_signal{gate_reason::clock_skew, true, "300ms", "clock", 20}));
  auto r = g.reasons();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].since, 10);
  EXPECT_EQ(r[0].detail, "300ms");
}

// ---- Level-triggered gate (review rows #2, #11, #12; issue 12 item 1). Every test below fails
// on 19ad4bf's gate: one flag per reason, any source clears it, resume always clears. ----

namespace {
constexpr ts_ns sec = 1'000'000'000;
gate_conditions report(std::string source, std::vector<gate_condition> active, ts_ns at) {
  return gate_conditions{std::move(source), std::move(active), at};
}
bool has_entry(const trading_gate& g, gate_reason r, const std::string& source, const std::string& product = {}) {
  for (auto& e : g.reasons())
    if (e.reason == r && e.source == source && e.product == product)
      return true;
  return false;
}
} // namespace

// Review row #12: product_degraded from products (REST) and from market_data (WS) are two
// conditions; one source's clear leaves the other's in force.
TEST(TradingGateHardening, AReasonClearsOnlyWhenEverySourceHasClearedIt) {
  trading_gate g;
  g.apply(gate_signal{gate_reason::product_degraded, true, "ETH-USD cancel_only", "products", 1, "ETH-USD"});
  g.apply(gate_signal{gate_reason::product_degraded, true, "ETH-USD no book", "market_data", 2, "ETH-USD"});
  EXPECT_TRUE(g.apply(gate_signal{gate_reason::product_degraded, false, "", "products", 3, "ETH-USD"}));
  EXPECT_TRUE(g.has(gate_reason::product_degraded));
  EXPECT_FALSE(g.is_open());
  EXPECT_TRUE(has_entry(g, gate_reason::product_degraded, "market_data", "ETH-USD"));
  g.apply(gate_signal{gate_reason::product_degraded, false, "", "market_data", 4, "ETH-USD"});
  EXPECT_TRUE(g.is_open());
}

// Review row #12: a source cannot clear what another source raised (startup included).
TEST(TradingGateHardening, ASourceCannotClearAnotherSourcesReason) {
  auto g = trading_gate::closed_at_start(0);
  EXPECT_FALSE(g.apply(gate_signal{gate_reason::startup, false, "", "market_data", 1}));
  EXPECT_TRUE(g.has(gate_reason::startup));
  g.apply(gate_signal{gate_reason::stale_data, true, "BTC-USD 12 s", "market_data", 1, "BTC-USD"});
  EXPECT_FALSE(g.apply(gate_signal{gate_reason::stale_data, false, "", "clock", 2}));
  EXPECT_TRUE(g.has(gate_reason::stale_data));
}

// A clear without a product covers every product of that source's reason.
TEST(TradingGateHardening, AClearWithoutProductCoversEveryProductOfThatSource) {
  trading_gate g;
  g.apply(gate_signal{gate_reason::stale_data, true, "a", "market_data", 1, "BTC-USD"});
  g.apply(gate_signal{gate_reason::stale_data, true, "b", "market_data", 1, "ETH-USD"});
  EXPECT_TRUE(g.apply(gate_signal{gate_reason::stale_data, false, "", "market_data", 2}));
  EXPECT_TRUE(g.is_open());
}

// Review row #2: a source's report is its whole current set, so a lost "raise" or "clear" is
// repaired by the next report, and what the set no longer holds is cleared.
TEST(TradingGateHardening, ConditionsReplaceWhatTheSourceReportedBefore) {
  trading_gate g;
  EXPECT_TRUE(g.apply(report("market_data", {{gate_reason::stale_data, "BTC-USD", "12 s"},
                                             {gate_reason::sequence_gap, "ETH-USD", "seq 9 after 7"}}, 1 * sec)));
  EXPECT_FALSE(g.apply(report("market_data", {{gate_reason::stale_data, "BTC-USD", "13 s"},
                                              {gate_reason::sequence_gap, "ETH-USD", "seq 9 after 7"}}, 2 * sec)));
  EXPECT_TRUE(g.apply(report("market_data", {{gate_reason::sequence_gap, "ETH-USD", "seq 9 after 7"}}, 3 * sec)));
  EXPECT_FALSE(g.has(gate_reason::stale_data));
  EXPECT_TRUE(g.has(gate_reason::sequence_gap));
  // Another source's report leaves market_data's entries alone.
  g.apply(report("clock", {}, 4 * sec));
  EXPECT_TRUE(g.has(gate_reason::sequence_gap));
  EXPECT_TRUE(g.apply(report("market_data", {}, 5 * sec)));
  EXPECT_TRUE(g.is_open());
}

// The detail refreshes; `since` stays from the first report.
TEST(TradingGateHardening, AReassertedConditionKeepsItsSince) {
  trading_gate g;
  g.apply(report("clock", {{gate_reason::clock_skew, "", "200 ms"}}, 10));
  g.apply(report("clock", {{gate_reason::clock_skew, "", "300 ms"}}, 20));
  auto r = g.reasons();
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].since, 10);
  EXPECT_EQ(r[0].detail, "300 ms");
  EXPECT_EQ(r[0].source, "clock");
}

// Review rows #1/#11: a sticky reason reported as a condition stays when the source stops
// reporting it, and only a resume clears it — once the source no longer asserts it.
TEST(TradingGateHardening, StickyConditionsOutliveTheirSourceUntilResumed) {
  trading_gate g;
  g.apply(report("state", {{gate_reason::state_unavailable, "", "fdatasync: EIO"}}, 1 * sec));
  auto refused = g.resume(gate_reason::state_unavailable, false, 2 * sec);
  EXPECT_FALSE(refused.changed);
  EXPECT_NE(refused.refused.find("state reports fdatasync: EIO"), std::string::npos) << refused.refused;
  EXPECT_TRUE(g.has(gate_reason::state_unavailable));
  // force does not override a cause that still holds.
  EXPECT_FALSE(g.resume(gate_reason::state_unavailable, true, 2 * sec).refused.empty());
  g.apply(report("state", {}, 3 * sec));
  EXPECT_TRUE(g.has(gate_reason::state_unavailable));
  auto ok = g.resume(gate_reason::state_unavailable, false, 4 * sec);
  EXPECT_TRUE(ok.refused.empty());
  EXPECT_TRUE(ok.changed);
  EXPECT_TRUE(g.is_open());
}

// Review row #11 (E4): resume of a non-sticky reason whose source still asserts it is refused.
TEST(TradingGateHardening, ResumeIsRefusedWhileASourceStillAssertsTheReason) {
  trading_gate g;
  g.apply(report("rate_limiter", {{gate_reason::api_error_burst, "", "12 errors in 10 s"}}, 100 * sec));
  auto r = g.resume(gate_reason::api_error_burst, false, 101 * sec);
  EXPECT_FALSE(r.changed);
  EXPECT_NE(r.refused.find("rate_limiter"), std::string::npos);
  EXPECT_NE(r.refused.find("12 errors in 10 s"), std::string::npos);
  EXPECT_TRUE(g.asserted(gate_reason::api_error_burst, 101 * sec));
}

// A source that stopped reporting (it died and was not restarted) leaves its entry closed —
// fail closed — but after gate_assertion_fresh_ms its assertion no longer blocks a resume.
TEST(TradingGateHardening, AnAssertionGoesStaleSoASilentSourceCanBeResumed) {
  trading_gate g;
  g.apply(report("user_stream", {{gate_reason::user_stream_gap, "", "resubscribing"}}, 0));
  EXPECT_FALSE(g.resume(gate_reason::user_stream_gap, false, gate_assertion_fresh_ms * 1'000'000).refused.empty());
  EXPECT_TRUE(g.has(gate_reason::user_stream_gap));
  auto r = g.resume(gate_reason::user_stream_gap, false, gate_assertion_fresh_ms * 1'000'000 + 1);
  EXPECT_TRUE(r.refused.empty()) << r.refused;
  EXPECT_TRUE(r.changed);
}

// Review row #11: `resume startup` needs a reconcile, or force until reconcile exists.
TEST(TradingGateHardening, ResumeStartupNeedsAReconcileOrForce) {
  auto g = trading_gate::closed_at_start(0);
  auto r = g.resume(gate_reason::startup, false, 1);
  EXPECT_FALSE(r.changed);
  EXPECT_NE(r.refused.find("--force"), std::string::npos);
  EXPECT_TRUE(g.has(gate_reason::startup));
  EXPECT_TRUE(g.resume(gate_reason::startup, true, 2).changed);
  EXPECT_TRUE(g.is_open());

  auto h = trading_gate::closed_at_start(0);
  h.mark_reconciled();
  EXPECT_TRUE(h.resume(gate_reason::startup, false, 1).changed);
}

// Resuming a reason nobody holds is not an error; it changes nothing.
TEST(TradingGateHardening, ResumeOfAnAbsentReasonChangesNothing) {
  trading_gate g;
  auto r = g.resume(gate_reason::kill_switch, false, 1);
  EXPECT_FALSE(r.changed);
  EXPECT_TRUE(r.refused.empty());
}

// An event-raised sticky reason (an operator's kill) is not an assertion: resume clears it.
TEST(TradingGateHardening, AnOperatorsKillCanBeResumedAtOnce) {
  trading_gate g;
  g.apply(gate_signal{gate_reason::kill_switch, true, "operator", "control uid=0", 5});
  EXPECT_TRUE(g.resume(gate_reason::kill_switch, false, 6).changed);
  EXPECT_TRUE(g.is_open());
}

// A kill-switch file that still exists keeps the kill switch asserted (review row #5).
TEST(TradingGateHardening, AKillSwitchFileThatStillExistsBlocksResume) {
  trading_gate g;
  g.apply(gate_signal{gate_reason::kill_switch, true, "operator", "control uid=0", 5});
  g.apply(report("kill_switch_file", {{gate_reason::kill_switch, "", "/run/KILL exists"}}, 6));
  EXPECT_FALSE(g.resume(gate_reason::kill_switch, false, 7).refused.empty());
  g.apply(report("kill_switch_file", {}, 8));
  EXPECT_TRUE(g.has(gate_reason::kill_switch));  // removing the file does not release it
  EXPECT_TRUE(g.resume(gate_reason::kill_switch, false, 9).changed);
  EXPECT_TRUE(g.is_open());
}

// Issue 15: an operator's halt closes the gate to new risk until resumed by hand; exits go on.
TEST(TradingGate, OperatorHaltBlocksEntriesKeepsExitsAndNeedsAnOperator) {
  trading_gate g;
  g.apply(raise(gate_reason::operator_halt));
  EXPECT_FALSE(g.check(order_effect::open_or_add).allowed);
  EXPECT_EQ(g.check(order_effect::open_or_add).blocking, gate_reason::operator_halt);
  EXPECT_TRUE(g.check(order_effect::reduce_only).allowed);
  EXPECT_FALSE(g.apply(clear(gate_reason::operator_halt)));  // sticky: no source clears it
  EXPECT_TRUE(trading_gate::survives_restart(gate_reason::operator_halt));
  EXPECT_TRUE(g.resume(gate_reason::operator_halt, false, 10).changed);
  EXPECT_TRUE(g.is_open());
}

// Issue 15: a crash regime is a level from its detector: exits allowed, cleared by the source.
TEST(TradingGate, CrashRegimeBlocksEntriesKeepsExitsAndClearsWithItsSource) {
  trading_gate g;
  g.apply(raise(gate_reason::crash_regime));
  EXPECT_FALSE(g.check(order_effect::open_or_add).allowed);
  EXPECT_TRUE(g.check(order_effect::reduce_only).allowed);
  EXPECT_FALSE(trading_gate::is_sticky(gate_reason::crash_regime));
  EXPECT_TRUE(g.apply(clear(gate_reason::crash_regime)));
  EXPECT_TRUE(g.is_open());
}

// Issue 15: the new reasons have stable names (persisted by name in the gate record).
TEST(TradingGate, NewReasonsRoundTripByName) {
  EXPECT_EQ(parse_gate_reason("operator_halt"), gate_reason::operator_halt);
  EXPECT_EQ(parse_gate_reason("crash_regime"), gate_reason::crash_regime);
  EXPECT_EQ(to_string(gate_reason::operator_halt), "operator_halt");
}
