// Verifies metric declaration: names, redeclaration after a restart, bounded labels,
// config info and the supervision family.

#include "runtime/metrics/actor_metrics.hpp"
#include "runtime/metrics/info_metrics.hpp"

#include <gtest/gtest.h>

#include <prometheus/text_serializer.h>

using namespace trader::metrics;

namespace {

std::string text(const prometheus::Registry& r) { return prometheus::TextSerializer().Serialize(r.Collect()); }

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1))
    ++n;
  return n;
}

} // namespace

TEST(ActorMetrics, NamesSeriesAfterTheActor) {
  prometheus::Registry reg;
  actor_metrics m(reg, "rate_limiter");
  m.counter("throttled_total", "Requests delayed.").Increment(3);
  m.gauge("tokens", "Tokens left.").Set(7);
  auto out = text(reg);
  EXPECT_NE(out.find("trader_rate_limiter_throttled_total 3"), std::string::npos) << out;
  EXPECT_NE(out.find("trader_rate_limiter_tokens 7"), std::string::npos);
}

TEST(ActorMetrics, RedeclaringAfterARestartKeepsTheSeries) {
  prometheus::Registry reg;
  actor_metrics(reg, "orders").counter("sent_total", "Orders sent.").Increment();
  auto& again = actor_metrics(reg, "orders").counter("sent_total", "Orders sent.");
  EXPECT_EQ(again.Value(), 1);
}

TEST(ActorMetrics, RefusesUnconventionalNames) {
  prometheus::Registry reg;
  actor_metrics m(reg, "orders");
  EXPECT_THROW(m.counter("sent", "no _total"), std::invalid_argument);
  EXPECT_THROW(m.histogram("latency_ms", "not base units", {1}), std::invalid_argument);
  EXPECT_THROW(actor_metrics(reg, "Orders"), std::invalid_argument);
  EXPECT_THROW(m.counters("x_total", "bad label", {{"le", {}}}), std::invalid_argument);
}

TEST(ActorMetrics, LabelOutsideItsAllowedSetBecomesOther) {
  prometheus::Registry reg;
  auto errors = actor_metrics(reg, "orders").counters("api_errors_total", "Errors.", {{"kind", {"timeout", "http_5xx"}}});
  errors["timeout"].Increment();
  errors["weird"].Increment();
  errors[""].Increment();
  auto out = text(reg);
  EXPECT_NE(out.find(R"(trader_orders_api_errors_total{kind="timeout"} 1)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"(trader_orders_api_errors_total{kind="other"} 2)"), std::string::npos) << out;
}

TEST(ActorMetrics, LabelCardinalityIsCapped) {
  prometheus::Registry reg;
  auto g = actor_metrics(reg, "market_data").gauges("book_depth", "Levels.", {{"product", {}}}, 4);
  for (int i = 0; i < 100; ++i)
    g["P" + std::to_string(i)].Set(i);
  EXPECT_EQ(g.size(), 4u);
  EXPECT_EQ(count(text(reg), "trader_market_data_book_depth{"), 4u);
}

TEST(ActorMetrics, HistogramsWithTwoLabels) {
  prometheus::Registry reg;
  auto h = actor_metrics(reg, "latency")
             .histograms("request_duration_seconds", "Request latency.", {{"endpoint", {}}, {"stage", {}}},
                         latency_buckets_seconds());
  h.at({"orders", "rest"}).Observe(0.02);
  auto out = text(reg);
  EXPECT_NE(out.find(R"(trader_latency_request_duration_seconds_count{endpoint="orders",stage="rest"} 1)"),
            std::string::npos)
    << out;
}

TEST(InfoMetrics, ConfigInfoKeepsExactlyOneSeries) {
  prometheus::Registry reg;
  config_info ci(reg);
  ci.set("abc123", "DRY_RUN");
  ci.set("def456", "PAPER");
  auto out = text(reg);
  EXPECT_EQ(count(out, "trader_config_info{"), 1u) << out;
  EXPECT_NE(out.find(R"(config_hash="def456")"), std::string::npos);
}

TEST(InfoMetrics, BuildInfoAndStartTime) {
  prometheus::Registry reg;
  declare_build_info(reg, {"0.1.0", "abc", "Release", "gcc-12"}, 1.7e9);
  auto out = text(reg);
  EXPECT_NE(out.find(R"(version="0.1.0")"), std::string::npos) << out;
  EXPECT_NE(out.find("trader_process_start_time_seconds 1700000000"), std::string::npos) << out;
}

TEST(InfoMetrics, SupervisionFamilyIsLabelledByActor) {
  prometheus::Registry reg;
  supervision_metrics s(reg);
  s.up["risk"].Set(1);
  s.restarts["risk"].Increment();
  auto out = text(reg);
  EXPECT_NE(out.find(R"(trader_actor_up{actor="risk"} 1)"), std::string::npos) << out;
  EXPECT_NE(out.find(R"(trader_actor_restarts_total{actor="risk"} 1)"), std::string::npos) << out;
}
