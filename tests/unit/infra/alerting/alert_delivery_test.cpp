// Verifies alert delivery against a local webhook receiver: retries with backoff, a sink
// answering 5xx three times still delivers, dead letters, and the whole dedupe /
// escalation / ack / resolve sequence as a PagerDuty-style receiver sees it.

#include "actors/infra/alerting/alert_dispatcher.hpp"
#include "actors/infra/alerting/delivery_worker.hpp"
#include "webhook_receiver.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace trader;
using namespace trader::alerting;
using namespace std::chrono_literals;
using test_support::webhook_receiver;

namespace {

/// A sink with the fields the test needs (the rest default).
sink_config sink(std::string name, sink_kind kind, std::string url = {}, std::string routing_key = {}) {
  sink_config s;
  s.name = std::move(name);
  s.kind = kind;
  s.url = std::move(url);
  s.routing_key = std::move(routing_key);
  return s;
}

constexpr std::int64_t s = 1'000'000'000;

notification note(const std::string& sink) {
  notification n;
  n.sink = sink;
  n.a.type = "api_error_burst";
  n.a.level = severity::critical;
  n.a.source = "orders";
  n.a.title = "5 API errors in 60 s";
  n.a.fingerprint = "api_error_burst:orders";
  return n;
}

retry_policy fast_policy(int attempts = 6) {
  retry_policy p;
  p.max_attempts = attempts;
  p.initial_backoff = 1s;
  p.max_backoff = 8s;
  return p;
}

/// Pumps, advancing the manual clock to each next due time, until the queue is empty.
int drain(alert_dispatcher& d, manual_time_source& clock) {
  int attempts = 0;
  for (int guard = 0; guard < 100; ++guard) {
    attempts += static_cast<int>(d.pump(2s));
    auto next = d.queue().next_due();
    if (!next)
      break;
    if (*next > clock.mono_now())
      clock.advance(*next - clock.mono_now());
  }
  return attempts;
}

} // namespace

TEST(AlertDelivery, BackoffIsExponentialAndCapped) {
  auto p = fast_policy();
  EXPECT_EQ(backoff_for(p, 1), 1s);
  EXPECT_EQ(backoff_for(p, 2), 2s);
  EXPECT_EQ(backoff_for(p, 3), 4s);
  EXPECT_EQ(backoff_for(p, 4), 8s);
  EXPECT_EQ(backoff_for(p, 9), 8s);
}

TEST(AlertDelivery, SinkAnswering5xxThreeTimesStillDelivers) {
  webhook_receiver rx({503, 502, 500});
  manual_time_source clock;
  loopback_http_transport http;
  alert_dispatcher d({sink("json", sink_kind::generic_json, rx.url() + "/alerts")}, fast_policy(), http, clock);
  d.submit({note("json")});
  EXPECT_EQ(drain(d, clock), 4);
  auto got = rx.requests();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[3].answered, 200);
  EXPECT_EQ(got[3].target, "/alerts");
  EXPECT_EQ(nlohmann::json::parse(got[3].body)["type"], "api_error_burst");
  auto st = d.queue().stats();
  EXPECT_EQ(st.delivered, 1);
  EXPECT_EQ(st.retries, 3);
  EXPECT_EQ(st.dead_letters, 0);
}

TEST(AlertDelivery, RetryWaitsForItsBackoff) {
  webhook_receiver rx({500});
  manual_time_source clock;
  loopback_http_transport http;
  alert_dispatcher d({sink("json", sink_kind::generic_json, rx.url())}, fast_policy(), http, clock);
  d.submit({note("json")});
  EXPECT_EQ(d.pump(), 1u);
  EXPECT_EQ(d.pump(), 0u);  // not due yet
  clock.advance(999'999'999);
  EXPECT_EQ(d.pump(), 0u);
  clock.advance(1);
  EXPECT_EQ(d.pump(), 1u);
  EXPECT_EQ(d.queue().stats().delivered, 1);
}

TEST(AlertDelivery, DeadLetterAfterMaxAttempts) {
  webhook_receiver rx(std::vector<int>(10, 500));
  manual_time_source clock;
  loopback_http_transport http;
  alert_dispatcher d({sink("json", sink_kind::generic_json, rx.url())}, fast_policy(3), http, clock);
  d.submit({note("json")});
  EXPECT_EQ(drain(d, clock), 3);
  EXPECT_EQ(rx.requests().size(), 3u);
  EXPECT_EQ(d.queue().stats().dead_letters, 1);
  ASSERT_EQ(d.queue().recent_dead_letters().size(), 1u);
  EXPECT_EQ(d.queue().recent_dead_letters()[0].last_error, "HTTP 500");
}

TEST(AlertDelivery, ClientErrorIsNotRetried) {
  webhook_receiver rx({400});
  manual_time_source clock;
  loopback_http_transport http;
  alert_dispatcher d({sink("json", sink_kind::generic_json, rx.url())}, fast_policy(), http, clock);
  d.submit({note("json")});
  EXPECT_EQ(drain(d, clock), 1);
  EXPECT_EQ(d.queue().stats().dead_letters, 1);
}

TEST(AlertDelivery, UnreachableSinkIsRetriedThenDeadLettered) {
  std::string url;
  {
    webhook_receiver gone;
    url = gone.url();
  }
  manual_time_source clock;
  loopback_http_transport http;
  alert_dispatcher d({sink("json", sink_kind::generic_json, url)}, fast_policy(2), http, clock);
  d.submit({note("json")});
  EXPECT_EQ(drain(d, clock), 2);
  EXPECT_EQ(d.queue().stats().dead_letters, 1);
}

TEST(AlertDelivery, HttpsSinkWithoutTheNetTransportIsDeadLetteredAtOnce) {
  manual_time_source clock;
  loopback_http_transport http;
  alert_dispatcher d({sink("pd", sink_kind::pagerduty, "", "KEY")}, fast_policy(), http, clock);
  d.submit({note("pd")});
  EXPECT_EQ(drain(d, clock), 1);
  EXPECT_EQ(d.queue().stats().dead_letters, 1);
}

TEST(AlertDelivery, FullQueueDeadLetters) {
  manual_time_source clock;
  loopback_http_transport http;
  auto p = fast_policy();
  p.max_queue = 2;
  alert_dispatcher d({sink("json", sink_kind::generic_json, "http://127.0.0.1:9/")}, p, http, clock);
  d.submit({note("json"), note("json"), note("json")});
  EXPECT_EQ(d.queue().pending(), 2u);
  EXPECT_EQ(d.queue().stats().dead_letters, 1);
}

TEST(AlertDelivery, LogSinkIsWrittenAtOnce) {
  manual_time_source clock;
  loopback_http_transport http;
  std::vector<std::string> lines;
  alert_dispatcher d({sink("log", sink_kind::log)}, fast_policy(), http, clock,
                     [&](severity, const std::string& line) { lines.push_back(line); });
  d.submit({note("log")});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("[CRITICAL] api_error_burst"), std::string::npos);
  EXPECT_EQ(d.queue().pending(), 0u);
}

// The end-to-end: dedupe, escalation (to the second sink), ack and resolve, as
// received by a PagerDuty-style receiver and a generic JSON escalation receiver.
TEST(AlertDelivery, DedupeEscalationAckAndResolveReachTheReceivers) {
  webhook_receiver pd_rx, second_rx;
  manual_time_source clock;
  loopback_http_transport http;
  alert_type_registry types;
  add_builtin_types(types);
  std::vector<sink_config> sinks{sink("pd", sink_kind::pagerduty, pd_rx.url() + "/v2/enqueue", "ROUTE"),
                                 sink("second", sink_kind::generic_json, second_rx.url())};
  sinks[0].min_level = severity::critical;
  sinks[1].escalation_only = true;
  engine_config cfg;
  cfg.sinks = routes_of(sinks);
  alert_engine engine(types, cfg, clock);
  alert_dispatcher d(sinks, fast_policy(), http, clock);
  auto a = make_alert(types, "api_error_burst", "orders", "5 API errors in 60 s");

  d.submit(engine.raise(a));
  clock.advance(30 * s);
  d.submit(engine.raise(a));  // deduplicated
  clock.advance(90 * s);
  d.submit(engine.tick());    // 120 s unacknowledged: escalate
  std::vector<notification> acks;
  ASSERT_TRUE(engine.acknowledge("api_error_burst:orders", "uid 0", acks));
  d.submit(acks);
  clock.advance(600 * s);
  d.submit(engine.tick());    // acknowledged: no more escalation
  a.resolved = true;
  d.submit(engine.raise(a));
  drain(d, clock);

  std::vector<std::string> actions;
  for (const auto& r : pd_rx.requests()) {
    EXPECT_EQ(r.target, "/v2/enqueue");
    auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["dedup_key"], "api_error_burst:orders");
    actions.push_back(j["event_action"]);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"trigger", "trigger", "acknowledge", "resolve"}));
  std::vector<std::string> second;
  for (const auto& r : second_rx.requests())
    second.push_back(nlohmann::json::parse(r.body)["notification"]);
  EXPECT_EQ(second, (std::vector<std::string>{"escalation", "acknowledge", "resolve"}));
  EXPECT_EQ(engine.stats().deduplicated, 1);
}

// The worker thread delivers on its own, retrying on real time, while the caller only
// submits: a 5xx-three-times sink still gets the alert.
TEST(AlertDelivery, WorkerThreadDeliversThroughRetries) {
  webhook_receiver rx({503, 503, 503});
  loopback_http_transport http;
  auto p = fast_policy();
  p.initial_backoff = 10ms;
  p.max_backoff = 40ms;
  const auto& clock = system_time_source::instance();
  std::atomic<int> delivered{0};
  alert_dispatcher d({sink("json", sink_kind::generic_json, rx.url())}, p, http, clock, {},
                     [&](const std::string&, std::string_view result) { delivered += result == "delivered"; });
  delivery_worker w(d, clock, 2s);
  w.start();
  d.submit({note("json")});
  w.notify();
  for (int i = 0; i < 500 && delivered.load() == 0; ++i)
    std::this_thread::sleep_for(10ms);
  w.stop();
  EXPECT_EQ(delivered.load(), 1);
  EXPECT_EQ(rx.requests().size(), 4u);
}

TEST(AlertDelivery, WorkerStopsPromptlyWhenIdle) {
  loopback_http_transport http;
  manual_time_source clock;
  alert_dispatcher d({}, fast_policy(), http, clock);
  delivery_worker w(d, clock);
  w.start();
  auto t0 = std::chrono::steady_clock::now();
  w.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}
