// Verifies alert dedupe, escalation, acknowledgement and resolution (pure engine, manual
// clock).

#include "actors/infra/alerting/alert_engine.hpp"
#include "actors/infra/alerting/alert_views.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::alerting;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t s = 1'000'000'000;

class AlertEngineTest : public ::testing::Test {
protected:
  alert_type_registry types;
  manual_time_source clock;
  engine_config cfg;
  std::unique_ptr<alert_engine> engine;

  void SetUp() override {
    add_builtin_types(types);
    cfg.sinks = {{"slack", severity::warning, false}, {"pager", severity::critical, false}, {"oncall2", severity::info, true}};
    engine = std::make_unique<alert_engine>(types, cfg, clock);
  }
  alert gap(severity level = severity::critical) {
    auto a = make_alert(types, "sequence_gap", "market_data", "sequence gap on BTC-USD", "expected 10 got 12");
    a.level = level;
    return a;
  }
  static std::vector<std::string> sinks(const std::vector<notification>& ns) {
    std::vector<std::string> out;
    for (const auto& n : ns)
      out.push_back(n.sink);
    return out;
  }
};

} // namespace

TEST_F(AlertEngineTest, NewAlertGoesToEveryPrimarySinkItsLevelReaches) {
  EXPECT_EQ(sinks(engine->raise(gap(severity::critical))), (std::vector<std::string>{"slack", "pager"}));
  auto w = make_alert(types, "latency_budget_violation", "latency", "p99 over budget");
  EXPECT_EQ(sinks(engine->raise(w)), (std::vector<std::string>{"slack"}));
  auto i = make_alert(types, "staging_test", "x", "info only");
  EXPECT_TRUE(engine->raise(i).empty());
}

TEST_F(AlertEngineTest, FingerprintDefaultsToTypeAndSource) {
  auto out = engine->raise(gap());
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0].a.fingerprint, "sequence_gap:market_data");
  EXPECT_GT(out[0].a.ts, 0);
}

TEST_F(AlertEngineTest, SameFingerprintWithinSixtySecondsIsSuppressed) {
  engine->raise(gap());
  clock.advance(59 * s);
  EXPECT_TRUE(engine->raise(gap()).empty());
  EXPECT_EQ(engine->stats().deduplicated, 1);
  clock.advance(1 * s);
  auto again = engine->raise(gap());
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].occurrences, 3);
}

TEST_F(AlertEngineTest, DifferentFingerprintsAreNotDeduplicated) {
  engine->raise(gap());
  auto other = gap();
  other.fingerprint = "sequence_gap:ETH-USD";
  EXPECT_EQ(engine->raise(other).size(), 2u);
  EXPECT_EQ(engine->active().size(), 2u);
}

TEST_F(AlertEngineTest, HigherSeverityBreaksThroughTheDedupeWindow) {
  engine->raise(gap(severity::warning));
  clock.advance(5 * s);
  auto up = engine->raise(gap(severity::critical));
  EXPECT_EQ(sinks(up), (std::vector<std::string>{"slack", "pager"}));
}

TEST_F(AlertEngineTest, UnacknowledgedCriticalEscalatesAfterTwoMinutesToTheSecondSink) {
  engine->raise(gap());
  clock.advance(119 * s);
  EXPECT_TRUE(engine->tick().empty());
  clock.advance(1 * s);
  auto esc = engine->tick();
  EXPECT_EQ(sinks(esc), (std::vector<std::string>{"slack", "pager", "oncall2"}));
  for (const auto& n : esc) {
    EXPECT_EQ(n.kind, notification_kind::escalation);
    EXPECT_EQ(n.escalation_level, 1);
  }
  EXPECT_EQ(engine->stats().escalations, 1);
}

TEST_F(AlertEngineTest, EscalationRepeatsUpToTheLimit) {
  engine->raise(gap());
  for (int i = 0; i < 10; ++i) {
    clock.advance(120 * s);
    engine->tick();
  }
  EXPECT_EQ(engine->stats().escalations, cfg.max_escalations);
}

TEST_F(AlertEngineTest, RepeatsDoNotPostponeEscalation) {
  engine->raise(gap());
  clock.advance(61 * s);
  engine->raise(gap());  // re-sent after the window
  clock.advance(59 * s);
  EXPECT_FALSE(engine->tick().empty());
}

TEST_F(AlertEngineTest, WarningsDoNotEscalateByDefault) {
  engine->raise(gap(severity::warning));
  clock.advance(600 * s);
  EXPECT_TRUE(engine->tick().empty());
}

TEST_F(AlertEngineTest, EscalationCanBoostWarningToCritical) {
  cfg.escalate_min_level = severity::warning;
  alert_engine e(types, cfg, clock);
  e.raise(gap(severity::warning));
  clock.advance(120 * s);
  auto esc = e.tick();
  ASSERT_FALSE(esc.empty());
  EXPECT_EQ(esc[0].a.level, severity::critical);
}

TEST_F(AlertEngineTest, AcknowledgeStopsEscalationAndTellsTheNotifiedSinks) {
  engine->raise(gap());
  std::vector<notification> out;
  EXPECT_TRUE(engine->acknowledge("sequence_gap:market_data", "uid 1000", out));
  EXPECT_EQ(sinks(out), (std::vector<std::string>{"slack", "pager"}));
  EXPECT_EQ(out[0].kind, notification_kind::acknowledge);
  EXPECT_EQ(out[0].acknowledged_by, "uid 1000");
  clock.advance(600 * s);
  EXPECT_TRUE(engine->tick().empty());
  EXPECT_TRUE(engine->raise(gap()).empty());  // acked: repeats stay quiet
}

TEST_F(AlertEngineTest, AcknowledgeOfAnUnknownFingerprintFails) {
  std::vector<notification> out;
  EXPECT_FALSE(engine->acknowledge("nope", "uid 0", out));
  EXPECT_TRUE(out.empty());
}

TEST_F(AlertEngineTest, ResolveGoesToEverySinkThatWasToldIncludingTheEscalationSink) {
  engine->raise(gap());
  clock.advance(120 * s);
  engine->tick();
  auto r = gap();
  r.resolved = true;
  auto out = engine->raise(r);
  EXPECT_EQ(sinks(out), (std::vector<std::string>{"slack", "pager", "oncall2"}));
  EXPECT_EQ(out[0].kind, notification_kind::resolve);
  EXPECT_TRUE(engine->active().empty());
  EXPECT_EQ(engine->stats().resolved, 1);
}

TEST_F(AlertEngineTest, ResolveOfNothingActiveSendsNothing) {
  auto r = gap();
  r.resolved = true;
  EXPECT_TRUE(engine->raise(r).empty());
}

TEST_F(AlertEngineTest, AfterResolveTheSameFingerprintAlertsAgainAtOnce) {
  engine->raise(gap());
  auto r = gap();
  r.resolved = true;
  engine->raise(r);
  EXPECT_EQ(engine->raise(gap()).size(), 2u);
}

TEST_F(AlertEngineTest, TestAlertReachesEverySinkRegardlessOfLevel) {
  auto out = engine->test("uid 1000");
  EXPECT_EQ(sinks(out), (std::vector<std::string>{"slack", "pager", "oncall2"}));
  EXPECT_EQ(out[0].kind, notification_kind::test);
  EXPECT_TRUE(engine->active().empty());
}

TEST_F(AlertEngineTest, UnregisteredTypesAreCountedButStillSent) {
  alert a;
  a.type = "mystery";
  a.level = severity::critical;
  a.source = "x";
  EXPECT_FALSE(engine->raise(a).empty());
  EXPECT_EQ(engine->stats().unknown_types, 1);
}

TEST_F(AlertEngineTest, ActiveAlertsAreBounded) {
  cfg.max_active = 3;
  alert_engine e(types, cfg, clock);
  for (int i = 0; i < 10; ++i) {
    auto a = gap();
    a.fingerprint = "fp" + std::to_string(i);
    clock.advance(1);
    e.raise(a);
  }
  auto act = e.active();
  ASSERT_EQ(act.size(), 3u);
  EXPECT_EQ(act.back().last.fingerprint, "fp9");
}

TEST(AlertTypes, BuiltinTypesCoverTheIssue) {
  alert_type_registry r;
  add_builtin_types(r);
  for (auto id : {"latency_budget_violation", "api_error_burst", "exception_burst", "actor_restart_storm", "sequence_gap",
                  "clock_skew", "state_unavailable", "secret_rotation_due"})
    EXPECT_TRUE(r.find(id)) << id;
  EXPECT_FALSE(r.add({"Bad Id", severity::info, ""}));
  EXPECT_TRUE(r.add({"order_stuck", severity::warning, "An actor-defined type."}));
  EXPECT_EQ(make_alert(r, "order_stuck", "orders", "t").level, severity::warning);
}

TEST_F(AlertEngineTest, StatusViewListsActiveAlertsAndCounters) {
  engine->raise(gap());
  clock.advance(10 * s);
  engine->raise(gap());
  std::vector<notification> acks;
  engine->acknowledge("sequence_gap:market_data", "uid 0", acks);
  delivery_queue q({}, clock);
  auto j = status_json(*engine, q);
  ASSERT_EQ(j["active"].size(), 1u);
  EXPECT_EQ(j["active"][0]["fingerprint"], "sequence_gap:market_data");
  EXPECT_EQ(j["active"][0]["severity"], "CRITICAL");
  EXPECT_EQ(j["active"][0]["occurrences"], 2);
  EXPECT_EQ(j["active"][0]["age_s"], 10.0);
  EXPECT_EQ(j["active"][0]["acknowledged_by"], "uid 0");
  EXPECT_EQ(j["stats"]["deduplicated"], 1);
  EXPECT_EQ(j["delivery"]["pending"], 0);
}
