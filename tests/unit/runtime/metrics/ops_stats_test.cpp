// Verifies the ops actors' metric structs, and that every series the plumbing declares is
// listed in docs/metrics.md (the contract the rules and the dashboard rely on).

#include "actors/infra/alerting/alerting_stats.hpp"
#include "actors/exchange/clock/clock_stats.hpp"
#include "actors/infra/latency/latency_stats.hpp"
#include "actors/control/scheduler/scheduler_stats.hpp"
#include "runtime/metrics/info_metrics.hpp"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <fstream>
#include <sstream>

using namespace trader;

namespace {

std::string text(const prometheus::Registry& r) { return prometheus::TextSerializer().Serialize(r.Collect()); }

bool has(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

} // namespace

TEST(OpsStats, AlertingStatsFollowTheEngineAndTheDispatcher) {
  prometheus::Registry reg;
  alerting::alerting_stats st(metrics::actor_metrics(reg, "alerting"));
  alerting::alert_type_registry types;
  alerting::add_builtin_types(types);
  manual_time_source clock;
  alerting::engine_config cfg;
  cfg.sinks = {{"log", severity::info, false}};
  alerting::alert_engine engine(types, cfg, clock);
  alerting::delivery_queue queue({}, clock);
  auto a = alerting::make_alert(types, "sequence_gap", "market_data", "gap");
  for (int i = 0; i < 3; ++i) {
    st.raised(a);
    engine.raise(a);
  }
  st.attempt("pd", "retry");
  st.attempt("pd", "dead_letter");
  st.sync(engine, queue);
  auto out = text(reg);
  EXPECT_TRUE(has(out, R"(trader_alerting_alerts_total{severity="critical",type="sequence_gap"} 3)")) << out;
  EXPECT_TRUE(has(out, "trader_alerting_deduplicated_total 2"));
  EXPECT_TRUE(has(out, "trader_alerting_active_alerts 1"));
  EXPECT_TRUE(has(out, R"(trader_alerting_dead_letters_total{sink="pd"} 1)"));
  EXPECT_TRUE(has(out, R"(trader_alerting_deliveries_total{result="retry",sink="pd"} 1)"));
  st.sync(engine, queue);  // idempotent: counters move by deltas
  EXPECT_TRUE(has(text(reg), "trader_alerting_deduplicated_total 2"));
}

TEST(OpsStats, LatencySchedulerAndClockStats) {
  prometheus::Registry reg;
  latency::latency_stats lat(metrics::actor_metrics(reg, "latency"));
  lat.observe("rest:/orders", 20'000'000);
  lat.set_budget("rest:/orders", {1'500'000'000, 0.99, 20});
  latency::check_result r;
  r.violations.push_back({"rest:/orders", 0.99, 2'000'000'000, 1'500'000'000, 20, ""});
  lat.checked(r);
  scheduler::scheduler_stats sch(metrics::actor_metrics(reg, "scheduler"));
  sch.started(63'000'000'000);
  sch.finished(46'000'000'000, true);
  clock::clock_stats clk(metrics::actor_metrics(reg, "clock"));
  clk.update(clock::evaluate({{0, 200'000'000, 20'000'000, 1'000'000}}));
  auto out = text(reg);
  EXPECT_TRUE(has(out, R"(trader_latency_duration_seconds_count{endpoint="rest:/orders"} 1)")) << out;
  EXPECT_TRUE(has(out, R"(trader_latency_budget_seconds{endpoint="rest:/orders"} 1.5)"));
  EXPECT_TRUE(has(out, R"(trader_latency_budget_violations_total{endpoint="rest:/orders"} 1)"));
  EXPECT_TRUE(has(out, "trader_scheduler_interval_seconds 63"));
  EXPECT_TRUE(has(out, "trader_scheduler_cycle_overruns_total 1"));
  EXPECT_TRUE(has(out, "trader_clock_skew_seconds 0.19"));
}

TEST(OpsStats, EveryDeclaredSeriesIsInDocsMetrics) {
  prometheus::Registry reg;
  metrics::declare_build_info(reg, {"0.1.0", "x", "Debug", "gcc"}, 1);
  metrics::config_info(reg).set("h", "DRY_RUN");
  metrics::supervision_metrics sup(reg);
  sup.up["risk"].Set(1);
  sup.restarts["risk"].Increment();
  sup.mailbox_depth["risk"].Set(0);
  sup.last_failure["risk"].Set(0);
  alerting::alerting_stats al(metrics::actor_metrics(reg, "alerting"));
  al.attempt("s", "dead_letter");
  al.secret_age["coinbase_api_key_name"].Set(1);
  latency::latency_stats lat(metrics::actor_metrics(reg, "latency"));
  lat.observe("k", 1);
  lat.set_budget("k", {});
  lat.violations["k"].Increment();
  scheduler::scheduler_stats sch(metrics::actor_metrics(reg, "scheduler"));
  clock::clock_stats clk(metrics::actor_metrics(reg, "clock"));

  std::ifstream f(TRADER_SOURCE_DIR "/docs/metrics.md");
  ASSERT_TRUE(f) << "docs/metrics.md not found";
  std::stringstream doc;
  doc << f.rdbuf();
  std::istringstream lines(text(reg));
  std::string line;
  int families = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("# TYPE ", 0) != 0)
      continue;
    auto name = line.substr(7, line.find(' ', 7) - 7);
    ++families;
    EXPECT_TRUE(has(doc.str(), "`" + name + "`")) << name << " is declared but not listed in docs/metrics.md";
  }
  EXPECT_GE(families, 20);
}
