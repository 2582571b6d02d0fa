// Verifies the exporter over loopback: scrape /metrics with a plain HTTP GET, and the
// output passes `promtool check metrics` when promtool is installed.

#include "runtime/metrics/exporter.hpp"
#include "runtime/metrics/info_metrics.hpp"
#include "runtime/metrics/loopback_http.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <unistd.h>

using namespace trader::metrics;

namespace {

exporter_options any_port() {
  exporter_options o;
  o.port = 0;
  o.threads = 1;
  return o;
}

void declare_sample(prometheus::Registry& reg) {
  declare_build_info(reg, {"0.1.0", "abc", "RelWithDebInfo", "gcc-12"}, 1.7e9);
  config_info(reg).set("0123abcd", "DRY_RUN");
  supervision_metrics s(reg);
  s.up["market_data"].Set(1);
  s.restarts["market_data"].Increment();
  actor_metrics lat(reg, "latency");
  auto h = lat.histograms("request_duration_seconds", "Request latency by endpoint and stage.",
                          {{"endpoint", {}}, {"stage", {}}}, latency_buckets_seconds());
  h.at({"orders", "rest"}).Observe(0.012);
  actor_metrics(reg, "orders").counters("api_errors_total", "API errors.", {{"endpoint", {}}})["orders"].Increment();
}

} // namespace

TEST(MetricsExporter, ServesTheRegistryOverLoopback) {
  exporter ex;
  declare_sample(*ex.registry());
  auto started = ex.start(any_port());
  ASSERT_TRUE(started) << started.error();
  ASSERT_NE(ex.port(), 0);
  auto r = http_get("127.0.0.1", ex.port(), "/metrics");
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("trader_build_info{"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find(R"(trader_actor_up{actor="market_data"} 1)"), std::string::npos);
}

TEST(MetricsExporter, ValuesChangedAfterStartAppearInTheNextScrape) {
  exporter ex;
  auto started = ex.start(any_port());
  ASSERT_TRUE(started) << started.error();
  auto& g = actor_metrics(*ex.registry(), "state").gauge("store_size_bytes", "LMDB file size.");
  g.Set(4096);
  auto r = http_get("127.0.0.1", ex.port(), "/metrics");
  EXPECT_NE(r.body.find("trader_state_store_size_bytes 4096"), std::string::npos) << r.body;
}

TEST(MetricsExporter, ReportsAPortInUse) {
  exporter a;
  auto started = a.start(any_port());
  ASSERT_TRUE(started) << started.error();
  exporter b;
  exporter_options o;
  o.port = a.port();
  auto refused = b.start(o);
  ASSERT_FALSE(refused);
  EXPECT_FALSE(refused.error().empty());
}

TEST(MetricsExporter, StopsAndRefusesConnections) {
  exporter ex;
  auto started = ex.start(any_port());
  ASSERT_TRUE(started) << started.error();
  auto port = ex.port();
  ex.stop();
  EXPECT_FALSE(ex.running());
  EXPECT_FALSE(http_get("127.0.0.1", port, "/metrics", std::chrono::milliseconds(500)).ok);
}

TEST(MetricsExporter, ScrapePassesPromtoolCheckMetrics) {
  if (::access("/usr/bin/promtool", X_OK) != 0)
    GTEST_SKIP() << "promtool not installed (Debian package prometheus)";
  exporter ex;
  declare_sample(*ex.registry());
  auto started = ex.start(any_port());
  ASSERT_TRUE(started) << started.error();
  auto r = http_get("127.0.0.1", ex.port(), "/metrics");
  ASSERT_TRUE(r.ok) << r.error;
  std::string file = "/tmp/trader-metrics-" + std::to_string(::getpid()) + ".prom";
  std::ofstream(file) << r.body;
  std::string cmd = "promtool check metrics < " + file + " 2>&1";
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  char buf[512];
  while (std::fgets(buf, sizeof buf, p))
    out += buf;
  int rc = ::pclose(p);
  std::remove(file.c_str());
  EXPECT_EQ(rc, 0) << out;
}

TEST(MetricsExporter, ParsesTheListenSetting) {
  auto o = parse_listen("127.0.0.1:9100");
  ASSERT_TRUE(o) << o.error();
  EXPECT_EQ(o->bind_address, "127.0.0.1");
  EXPECT_EQ(o->port, 9100);
  auto v6 = parse_listen("[::1]:0");
  ASSERT_TRUE(v6) << v6.error();
  EXPECT_EQ(v6->bind_address, "::1");
  EXPECT_EQ(v6->port, 0);
  for (auto bad : {"", "9100", "127.0.0.1:", ":9100", "127.0.0.1:99999", "127.0.0.1:9x", "[::1:9100"}) {
    auto r = parse_listen(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_NE(r.error().find(bad), std::string::npos) << r.error();
  }
  EXPECT_TRUE(is_loopback("127.0.0.1"));
  EXPECT_TRUE(is_loopback("::1"));
  EXPECT_FALSE(is_loopback("0.0.0.0"));
}
