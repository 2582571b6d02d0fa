// The latency actor on the deterministic scheduler: percentiles per endpoint as JSON,
// budget violations → latency_budget_violation alerts (resolved on recovery), the cycle
// budget on every sample, metrics; and the budgets it derives from the policy.
#include "runtime/core/atoms.hpp"
#include "actors/infra/latency/latency_actor.hpp"

#include "runtime/core/type_ids.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/metric_value.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>
#include <prometheus/registry.h>

#include <algorithm>
#include <map>

using namespace std::chrono_literals;
using namespace trader;

namespace {

constexpr std::int64_t ms = 1'000'000;

class LatencyActorTest : public test::actor_fixture {
protected:
  std::shared_ptr<std::vector<alert>> alerts_ = std::make_shared<std::vector<alert>>();
  std::shared_ptr<prometheus::Registry> metrics_ = std::make_shared<prometheus::Registry>();
  caf::actor latency_;

  LatencyActorTest() {
    auto alerts = alerts_;
    reg_.put("alerting", keep(sys().spawn([alerts]() -> caf::behavior {
               return {[alerts](const alert& a) { alerts->push_back(a); }};
             })));
  }
  void start(latency::options o = {}) {
    latency_ = keep(latency::spawn_latency(sys(), reg_, o, *metrics_));
    run();
  }
  void sample(const std::string& key, std::int64_t ns, int n = 1) {
    for (int i = 0; i < n; ++i)
      caf::anon_send(latency_, latency_sample{key, ns, true, 0});
    run();
  }
  nlohmann::json report() {
    auto out = std::make_shared<std::string>();
    auto lat = latency_;
    keep(sys().spawn([=](caf::event_based_actor* self) {
      self->request(lat, caf::infinite, latency_report_request{}).then([=](const std::string& s) { *out = s; });
    }));
    run();
    return nlohmann::json::parse(*out);
  }
  double value(const std::string& name, const std::map<std::string, std::string>& labels = {}) {
    return test::metric_value(*metrics_, name, labels).value_or(-1);
  }
};

} // namespace

TEST(LatencyOptions, BudgetsMirrorThePolicyDefaults) {
  latency::options o;
  std::map<std::string, latency::latency_budget> b;
  for (auto& [k, v] : latency::budgets_of(o))
    b[k] = v;
  EXPECT_EQ(b.at("rest:*").max_ns, 1500 * ms);  // [latency] rest_budget_ms
  EXPECT_EQ(b.at("ws:*").max_ns, 1000 * ms);    // ws_lag_budget_ms
  EXPECT_EQ(b.at("stage:order_ack").max_ns, 3000 * ms);
  EXPECT_EQ(b.at("order_ack:*").max_ns, 3000 * ms);
  EXPECT_EQ(b.at("stage:decision_cycle").max_ns, 45'000 * ms);  // [loop] cycle_budget_s
  EXPECT_DOUBLE_EQ(b.at("stage:decision_cycle").quantile, 1.0);
  EXPECT_DOUBLE_EQ(b.at("rest:*").quantile, 0.99);
}

TEST_F(LatencyActorTest, ReportsPercentilesPerEndpointAsJson) {
  start();
  for (int i = 1; i <= 100; ++i)
    sample("rest:GET /accounts", i * ms);
  sample("ws:market", 5 * ms);
  auto r = report();
  auto& acc = r["endpoints"]["rest:GET /accounts"];
  EXPECT_EQ(acc["count"], 100);
  EXPECT_NEAR(acc["p50_ms"].get<double>(), 50, 50 * 0.07);
  EXPECT_NEAR(acc["p99_ms"].get<double>(), 99, 99 * 0.07);
  EXPECT_DOUBLE_EQ(acc["max_ms"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(acc["budget_ms"].get<double>(), 1500);
  EXPECT_EQ(acc["violations"], 0);
  EXPECT_DOUBLE_EQ(r["endpoints"]["ws:market"]["budget_ms"].get<double>(), 1000);
  EXPECT_EQ(value("trader_latency_duration_seconds", {{"endpoint", "rest:GET /accounts"}}), 100);
  EXPECT_EQ(value("trader_latency_budget_seconds", {{"endpoint", "rest:*"}}), 1.5);
}

TEST_F(LatencyActorTest, BudgetViolationAlertsAndRecoveryResolves) {
  latency::options o;
  o.check_interval_ms = 10000;
  start(o);
  sample("rest:POST /orders", 2000 * ms, 25);
  EXPECT_TRUE(alerts_->empty());
  advance(10s);  // the check
  ASSERT_EQ(alerts_->size(), 1u);
  auto a = (*alerts_)[0];  // a copy: alerts_ grows below
  EXPECT_EQ(a.type, "latency_budget_violation");
  EXPECT_EQ(a.level, severity::warning);
  EXPECT_EQ(a.fingerprint, "latency_budget_violation:rest:POST /orders");
  EXPECT_NE(a.detail.find("LATENCY_BUDGET: key=rest:POST /orders"), std::string::npos) << a.detail;
  EXPECT_FALSE(a.resolved);
  EXPECT_EQ(report()["endpoints"]["rest:POST /orders"]["violations"], 1);
  EXPECT_EQ(value("trader_latency_budget_violations_total", {{"endpoint", "rest:POST /orders"}}), 1);
  for (int i = 0; i < 36; ++i)  // 6 minutes: the 5-minute window empties
    advance(10s);
  ASSERT_GE(alerts_->size(), 2u);
  EXPECT_TRUE(alerts_->back().resolved);
  EXPECT_EQ(alerts_->back().fingerprint, a.fingerprint);
}

// Baselines survive a restart: the stopping instance writes them, the next one restores
// them (lifetime counts carry over); a malformed line is skipped, the rest still load.
TEST_F(LatencyActorTest, BaselinesArePersistedAcrossRestarts) {
  test::temp_dir dir{"latency-baselines"};
  latency::options o;
  o.baseline_path = dir / "latency_baselines.jsonl";
  start(o);
  sample("rest:GET /accounts", 5 * ms, 40);
  caf::anon_send_exit(latency_, caf::exit_reason::user_shutdown);
  run();
  std::ifstream in{o.baseline_path};
  std::string text{std::istreambuf_iterator<char>(in), {}};
  ASSERT_NE(text.find("rest:GET /accounts"), std::string::npos) << text;
  std::ofstream{o.baseline_path, std::ios::app} << "{not json\n";
  start(o);
  sample("rest:GET /accounts", 5 * ms, 2);
  auto r = report();
  EXPECT_EQ(r["endpoints"]["rest:GET /accounts"]["lifetime_count"], 42) << r.dump();
  EXPECT_EQ(r["endpoints"]["rest:GET /accounts"]["count"], 2);  // the window starts empty
}

TEST_F(LatencyActorTest, FewSamplesGiveNoVerdict) {
  start();
  sample("rest:POST /orders", 2000 * ms, 5);  // min_samples 20
  advance(10s);
  EXPECT_TRUE(alerts_->empty());
}

TEST_F(LatencyActorTest, OneSlowDecisionCycleIsAViolation) {
  start();
  sample("stage:decision_cycle", 50'000 * ms);
  advance(10s);
  ASSERT_EQ(alerts_->size(), 1u);
  EXPECT_EQ((*alerts_)[0].fingerprint, "latency_budget_violation:stage:decision_cycle");
}

TEST_F(LatencyActorTest, AnswersTheLivenessProbe) {
  start();
  auto got = std::make_shared<std::int64_t>(-1);
  auto lat = latency_;
  keep(sys().spawn([=](caf::event_based_actor* self) {
    self->request(lat, caf::infinite, core::probe_atom::value)
      .then([=](std::int64_t depth) { *got = depth; });
  }));
  run();
  EXPECT_GE(*got, 0);
}
