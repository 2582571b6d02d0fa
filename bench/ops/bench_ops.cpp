// bench_ops: operations plumbing figures.
//   metrics_scrape_ms      median time of one GET /metrics over loopback for a registry shaped
//                          like the full tree: 30 actors × 10 series + labelled families and
//                          latency histograms (see series count in the output)
//   metrics_scrape_p99_ms  its 99th percentile
//   control_roundtrip_us   median request/response over the control socket
//   latency_record_ns      cost of one latency_histogram::record
// Prints ONE flat JSON object on the last stdout line. Loopback only, < 30 s.

#include "actors/infra/latency/latency_histogram.hpp"
#include "runtime/control/control_client.hpp"
#include "runtime/control/control_server.hpp"
#include "runtime/metrics/actor_metrics.hpp"
#include "runtime/metrics/exporter.hpp"
#include "runtime/metrics/info_metrics.hpp"
#include "runtime/metrics/loopback_http.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

using namespace trader;
using clock_type = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

/// 30 actors × (6 counters + 3 gauges + 1 histogram), plus per-endpoint latency histograms,
/// API error counters and the supervision family: roughly what the full tree exports.
void populate(prometheus::Registry& reg) {
  metrics::declare_build_info(reg, {"0.1.0", "bench", "RelWithDebInfo", "gcc-12"}, 1.7e9);
  metrics::config_info(reg).set("0123456789abcdef", "PAPER");
  metrics::supervision_metrics sup(reg);
  std::mt19937_64 rng(1);
  for (int a = 0; a < 30; ++a) {
    std::string actor = "actor" + std::to_string(a);
    sup.up[actor].Set(1);
    sup.restarts[actor].Increment(static_cast<double>(a % 3));
    sup.mailbox_depth[actor].Set(static_cast<double>(rng() % 10));
    metrics::actor_metrics m(reg, actor);
    for (int c = 0; c < 6; ++c)
      m.counter("events" + std::to_string(c) + "_total", "Events.").Increment(static_cast<double>(rng() % 100000));
    for (int g = 0; g < 3; ++g)
      m.gauge("level" + std::to_string(g), "Level.").Set(static_cast<double>(rng() % 1000));
    auto& h = m.histogram("handler_duration_seconds", "Handler time.", metrics::latency_buckets_seconds());
    for (int i = 0; i < 200; ++i)
      h.Observe(static_cast<double>(rng() % 100000) / 1e6);
  }
  metrics::actor_metrics lat(reg, "latency");
  auto hist = lat.histograms("duration_seconds", "Latency.", {{"endpoint", {}}}, metrics::latency_buckets_seconds());
  auto errors = metrics::actor_metrics(reg, "exchange")
                  .counters("api_errors_total", "API errors.", {{"endpoint", {}}, {"kind", {}}});
  for (int e = 0; e < 20; ++e) {
    std::string ep = "rest:/endpoint" + std::to_string(e);
    for (int i = 0; i < 500; ++i)
      hist[ep].Observe(static_cast<double>(rng() % 2000000) / 1e6);
    for (auto kind : {"timeout", "http_5xx", "http_429"})
      errors.at({ep, kind}).Increment(static_cast<double>(rng() % 10));
  }
}

std::size_t count_series(const std::string& body) {
  std::size_t n = 0, pos = 0;
  while (pos < body.size()) {
    auto eol = body.find('\n', pos);
    if (eol == std::string::npos)
      eol = body.size();
    if (eol > pos && body[pos] != '#')
      ++n;
    pos = eol + 1;
  }
  return n;
}

} // namespace

int main() {
  auto start = clock_type::now();
  // -- metrics scrape ------------------------------------------------------------------
  double scrape_ms = 0, scrape_p99 = 0;
  std::size_t series = 0, bytes = 0;
  {
    metrics::exporter ex;
    populate(*ex.registry());
    metrics::exporter_options o;
    o.port = 0;
    if (auto started = ex.start(o); !started) {
      std::fprintf(stderr, "bench_ops: %s\n", started.error().c_str());
      return 1;
    }
    std::vector<double> ms;
    for (int i = 0; i < 220; ++i) {
      auto t0 = clock_type::now();
      auto r = metrics::http_get("127.0.0.1", ex.port(), "/metrics");
      auto dt = std::chrono::duration<double, std::milli>(clock_type::now() - t0).count();
      if (!r.ok || r.status != 200) {
        std::fprintf(stderr, "bench_ops: scrape failed: %s\n", r.error.c_str());
        return 1;
      }
      if (i >= 20)  // warm-up
        ms.push_back(dt);
      series = count_series(r.body);
      bytes = r.body.size();
    }
    scrape_ms = percentile(ms, 0.5);
    scrape_p99 = percentile(ms, 0.99);
  }
  // -- control socket round trip -----------------------------------------------------------
  double control_us = 0;
  {
    std::string path = "/tmp/bench-ops-" + std::to_string(::getpid()) + "/control.sock";
    control::server_options o;
    o.socket_path = path;
    control::control_server srv(o);
    srv.register_command("status", "Status.", [](const control::request&, control::reply_fn done) {
      done(control::reply::success({{"mode", "PAPER"}}));
    });
    if (auto started = srv.start(); !started) {
      std::fprintf(stderr, "bench_ops: %s\n", started.error().c_str());
      return 1;
    }
    control::control_client client(path);
    std::vector<double> us;
    for (int i = 0; i < 2000; ++i) {
      auto t0 = clock_type::now();
      auto r = client.call("status");
      us.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - t0).count());
      if (!r.ok())
        return 1;
    }
    control_us = percentile(us, 0.5);
    srv.stop();
    ::rmdir(("/tmp/bench-ops-" + std::to_string(::getpid())).c_str());
  }
  // -- latency histogram record ------------------------------------------------------------
  double record_ns = 0;
  {
    latency::latency_histogram h;
    std::mt19937_64 rng(3);
    std::vector<std::int64_t> values(1 << 16);
    for (auto& v : values)
      v = static_cast<std::int64_t>(rng() % 5'000'000'000ULL);
    constexpr int rounds = 200;
    auto t0 = clock_type::now();
    for (int r = 0; r < rounds; ++r)
      for (auto v : values)
        h.record(v);
    auto dt = std::chrono::duration<double, std::nano>(clock_type::now() - t0).count();
    record_ns = dt / (static_cast<double>(rounds) * static_cast<double>(values.size()));
    if (h.count() == 0)
      return 1;
  }
  auto total_s = std::chrono::duration<double>(clock_type::now() - start).count();
  std::fprintf(stderr, "bench_ops: %zu series, %zu bytes per scrape, %.1f s total\n", series, bytes, total_s);
  std::printf("{\"metrics_scrape_ms\": %.3f, \"metrics_scrape_p99_ms\": %.3f, \"metrics_scrape_series\": %zu, "
              "\"control_roundtrip_us\": %.1f, \"latency_record_ns\": %.2f}\n",
              scrape_ms, scrape_p99, series, control_us, record_ns);
  return 0;
}
