// The alerting actor against local webhook receivers: every HTTP sink kind, dedupe,
// escalation to the second sink, acknowledgement (audited) stopping the escalation,
// resolve, a sink answering 5xx three times, dead letters, config reload and secret
// rotation. The actor runs on CAF's deterministic scheduler with a manual engine clock;
// deliveries run on the actor's real worker thread, so the receivers are polled with
// eventually() (bounded), never slept on.

#include "actors/infra/alerting/alerting_actor.hpp"
#include "actors/infra/alerting/net_alert_transport.hpp"
#include "tests/support/actor_fixture.hpp"
#include "tests/support/metric_value.hpp"
#include "tests/support/child_process.hpp"
#include "tests/unit/infra/alerting/webhook_receiver.hpp"

#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <algorithm>
#include <set>

using namespace std::chrono_literals;
using namespace trader;
using namespace trader::alerting;
using nlohmann::json;
using test_support::webhook_receiver;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr std::int64_t day = 86400 * s;

sink_config sink(std::string name, sink_kind kind, std::string url) {
  sink_config c;
  c.name = std::move(name);
  c.kind = kind;
  c.url = std::move(url);
  return c;
}

sink_config json_sink(std::string name, std::string url) {
  return sink(std::move(name), sink_kind::generic_json, std::move(url));
}

alert critical(std::string source = "orders") {
  alert a;
  a.type = "api_error_burst";
  a.level = severity::critical;
  a.source = std::move(source);
  a.title = "5 API errors in 60 s";
  return a;
}

/// The "notification" field of each JSON body a receiver got.
std::vector<std::string> kinds(webhook_receiver& rx) {
  std::vector<std::string> out;
  for (const auto& r : rx.requests())
    out.push_back(json::parse(r.body).value("notification", std::string{}));
  return out;
}

class AlertingActorTest : public test::actor_fixture {
protected:
  manual_time_source clock_{1'800'000'000 * s};
  std::shared_ptr<prometheus::Registry> metrics_ = std::make_shared<prometheus::Registry>();
  std::shared_ptr<std::vector<audit_entry>> audit_ = std::make_shared<std::vector<audit_entry>>();
  std::function<alerting_options()> reload_;

  caf::actor alerting_;

  // The actor's worker thread uses metrics_: stop it (state destroyed on exit) before the
  // members go.
  ~AlertingActorTest() override {
    if (alerting_) {
      caf::anon_send_exit(alerting_, caf::exit_reason::kill);
      run();
    }
  }

  AlertingActorTest() {
    auto audit = audit_;
    reg_.put("audit", keep(sys().spawn([audit]() -> caf::behavior {
               return {[audit](const audit_entry& e) { audit->push_back(e); }};
             })));
  }

  /// Options with the log sink plus sinks, short retries on real time.
  alerting_options options(std::vector<sink_config> sinks) {
    alerting_options o;
    for (auto& c : sinks)
      o.sinks.push_back(std::move(c));
    o.retry.initial_backoff = 10ms;
    o.retry.max_backoff = 40ms;
    o.request_timeout = 2s;
    return o;
  }
  caf::actor start(alerting_options o) {
    alerting_deps d;
    d.clock = &clock_;
    d.metrics = metrics_.get();
    d.reload = reload_;
    alerting_ = keep(spawn_alerting(sys(), reg_, std::move(o), std::move(d)));
    run();
    return alerting_;
  }
  void send(const caf::actor& a, alert x) {
    caf::anon_send(a, std::move(x));
    run();
  }
  /// Moves the engine clock and CAF's virtual time together (ticks fire).
  void elapse(std::int64_t ns) {
    clock_.advance(ns);
    advance(std::chrono::nanoseconds(ns));
  }
  bool ack(const caf::actor& a, const std::string& fp) {
    auto got = std::make_shared<int>(-1);
    keep(sys().spawn([=](caf::event_based_actor* self) {
      self->request(a, 5s, alert_ack{fp, "uid 1000"}).then([=](bool ok) { *got = ok; }, [=](caf::error&) { *got = -2; });
    }));
    run();
    return *got == 1;
  }
  /// Value of a trader_alerting_* series (0 when absent).
  double value(const std::string& name, const std::map<std::string, std::string>& labels = {}) {
    return test::metric_value(*metrics_, name, labels).value_or(0);
  }
  static bool arrives(webhook_receiver& rx, std::size_t n) {
    return test::eventually([&] { return rx.requests().size() >= n; }, 10s);
  }
};

TEST_F(AlertingActorTest, DeliversToEveryHttpSinkKindAtItsPath) {
  webhook_receiver rx;
  auto slack = sink("webhook", sink_kind::slack, rx.url() + "/slack/T/B/X");
  auto pd = sink("pagerduty", sink_kind::pagerduty, rx.url() + "/v2/enqueue");
  pd.routing_key = "ROUTE";
  auto tg = sink("telegram", sink_kind::telegram, rx.url());
  tg.bot_token = "BOTTOKEN";
  tg.chat_id = "-100";
  auto a = start(options({slack, pd, tg, json_sink("json", rx.url() + "/json")}));
  send(a, critical());
  ASSERT_TRUE(arrives(rx, 4));
  std::set<std::string> targets;
  for (const auto& r : rx.requests())
    targets.insert(r.target);
  EXPECT_EQ(targets, (std::set<std::string>{"/slack/T/B/X", "/v2/enqueue", "/botBOTTOKEN/sendMessage", "/json"}));
  for (auto sink : {"webhook", "pagerduty", "telegram", "json"})
    EXPECT_TRUE(test::eventually(
      [&] { return value("trader_alerting_deliveries_total", {{"sink", sink}, {"result", "delivered"}}) == 1; }, 5s))
      << sink;
}

TEST_F(AlertingActorTest, SameFingerprintWithinTheWindowIsSentOnce) {
  webhook_receiver rx;
  auto a = start(options({json_sink("json", rx.url())}));
  send(a, critical());
  elapse(30 * s);
  send(a, critical());
  EXPECT_EQ(value("trader_alerting_deduplicated_total"), 1);
  ASSERT_TRUE(arrives(rx, 1));
  elapse(31 * s);  // past the 60 s window: a still-active alert is re-sent
  send(a, critical());
  ASSERT_TRUE(arrives(rx, 2));
  EXPECT_EQ(kinds(rx), (std::vector<std::string>{"trigger", "trigger"}));
  EXPECT_EQ(json::parse(rx.requests()[1].body)["occurrences"], 3);
}

TEST_F(AlertingActorTest, UnacknowledgedCriticalEscalatesBoostedToTheSecondSink) {
  webhook_receiver primary, second;
  auto esc = json_sink("pager", second.url());
  esc.escalation_only = true;
  auto a = start(options({json_sink("json", primary.url()), esc}));
  send(a, critical());
  ASSERT_TRUE(arrives(primary, 1));
  elapse(110 * s);  // ticks at 10 s steps: nothing due before 120 s
  EXPECT_EQ(value("trader_alerting_escalations_total"), 0);
  elapse(10 * s);
  EXPECT_EQ(value("trader_alerting_escalations_total"), 1);
  ASSERT_TRUE(arrives(second, 1));
  ASSERT_TRUE(arrives(primary, 2));
  auto body = json::parse(second.requests()[0].body);
  EXPECT_EQ(body["notification"], "escalation");
  EXPECT_EQ(body["escalation_level"], 1);
  EXPECT_EQ(body["severity"], "CRITICAL");
}

TEST_F(AlertingActorTest, AcknowledgeStopsEscalationAndIsAudited) {
  webhook_receiver primary, second;
  auto esc = json_sink("pager", second.url());
  esc.escalation_only = true;
  auto a = start(options({json_sink("json", primary.url()), esc}));
  send(a, critical());
  EXPECT_TRUE(ack(a, "api_error_burst:orders"));
  EXPECT_FALSE(ack(a, "no_such:alert"));
  elapse(600 * s);
  EXPECT_EQ(value("trader_alerting_escalations_total"), 0);
  ASSERT_TRUE(arrives(primary, 2));
  EXPECT_EQ(kinds(primary), (std::vector<std::string>{"trigger", "acknowledge"}));
  EXPECT_TRUE(second.requests().empty());  // never escalated, so never told
  auto acks = std::count_if(audit_->begin(), audit_->end(), [](const audit_entry& e) {
    auto j = json::parse(e.payload_json);
    return e.kind == "operator" && j.value("alert_ack", "") == "api_error_burst:orders" && j.value("known", false);
  });
  EXPECT_EQ(acks, 1);
}

TEST_F(AlertingActorTest, ResolveReachesEverySinkThatWasTold) {
  webhook_receiver pd_rx, second;
  auto pd = sink("pagerduty", sink_kind::pagerduty, pd_rx.url() + "/v2/enqueue");
  pd.routing_key = "ROUTE";
  auto esc = json_sink("pager", second.url());
  esc.escalation_only = true;
  auto a = start(options({pd, esc}));
  send(a, critical());
  elapse(120 * s);  // escalated: the second sink is told too
  auto r = critical();
  r.resolved = true;
  send(a, r);
  ASSERT_TRUE(arrives(pd_rx, 3));
  ASSERT_TRUE(arrives(second, 2));
  std::vector<std::string> actions;
  for (const auto& q : pd_rx.requests())
    actions.push_back(json::parse(q.body)["event_action"]);
  EXPECT_EQ(actions, (std::vector<std::string>{"trigger", "trigger", "resolve"}));
  EXPECT_EQ(kinds(second), (std::vector<std::string>{"escalation", "resolve"}));
  EXPECT_EQ(value("trader_alerting_active_alerts"), 0);
}

TEST_F(AlertingActorTest, SinkAnswering5xxThreeTimesStillDelivers) {
  webhook_receiver rx({503, 502, 500});
  auto a = start(options({json_sink("json", rx.url())}));
  send(a, critical());
  ASSERT_TRUE(arrives(rx, 4));
  EXPECT_TRUE(test::eventually(
    [&] { return value("trader_alerting_deliveries_total", {{"sink", "json"}, {"result", "delivered"}}) == 1; }, 5s));
  EXPECT_EQ(value("trader_alerting_deliveries_total", {{"sink", "json"}, {"result", "retry"}}), 3);
  EXPECT_EQ(value("trader_alerting_dead_letters_total", {{"sink", "json"}}), 0);
  EXPECT_EQ(rx.requests()[3].answered, 200);
}

TEST_F(AlertingActorTest, SinkFailingEveryAttemptIsDeadLettered) {
  webhook_receiver rx(std::vector<int>(10, 500));
  auto o = options({json_sink("json", rx.url())});
  o.retry.max_attempts = 3;
  auto a = start(o);
  send(a, critical());
  EXPECT_TRUE(test::eventually([&] { return value("trader_alerting_dead_letters_total", {{"sink", "json"}}) == 1; }, 10s));
  EXPECT_EQ(rx.requests().size(), 3u);
}

TEST_F(AlertingActorTest, AlertTestReachesEverySinkWithoutEnteringTheActiveSet) {
  webhook_receiver one, two;
  auto a = start(options({json_sink("json", one.url()), json_sink("json2", two.url())}));
  auto n = std::make_shared<std::int64_t>(-1);
  keep(sys().spawn([=](caf::event_based_actor* self) {
    self->request(a, 5s, alert_test{"uid 1000"}).then([=](std::int64_t k) { *n = k; }, [=](caf::error&) {});
  }));
  run();
  EXPECT_EQ(*n, 3);  // log, json, json2
  ASSERT_TRUE(arrives(one, 1));
  ASSERT_TRUE(arrives(two, 1));
  EXPECT_EQ(json::parse(one.requests()[0].body)["type"], "staging_test");
  EXPECT_EQ(value("trader_alerting_active_alerts"), 0);
}

TEST_F(AlertingActorTest, ConfigChangedSwitchesSinksAndKeepsActiveAlerts) {
  webhook_receiver before, after;
  reload_ = [&] { return options({json_sink("json", after.url())}); };
  auto a = start(options({json_sink("json", before.url())}));
  send(a, critical());
  ASSERT_TRUE(arrives(before, 1));
  caf::anon_send(a, config_changed{"hash", {"risk"}});  // not ours: nothing changes
  run();
  send(a, critical("fills"));
  ASSERT_TRUE(arrives(before, 2));
  caf::anon_send(a, config_changed{"hash", {"alerts.json"}});
  run();
  auto r = critical();
  r.resolved = true;  // raised before the reload, resolved to the new sink
  send(a, r);
  ASSERT_TRUE(arrives(after, 1));
  EXPECT_EQ(kinds(after), (std::vector<std::string>{"resolve"}));
  EXPECT_EQ(before.requests().size(), 2u);
}

TEST_F(AlertingActorTest, KeyAgeRaisesWarningAt80DaysAndCriticalPast90) {
  webhook_receiver rx;
  auto o = options({json_sink("json", rx.url())});
  o.engine.dedupe_window = 0ns;
  o.rotation_check_interval = std::chrono::hours(24);
  o.keys = {{"coinbase_api_key", clock_.wall_now() - 79 * day}};
  auto a = start(o);
  EXPECT_NEAR(value("trader_alerting_secret_age_seconds", {{"secret", "coinbase_api_key"}}), 79.0 * 86400, 1);
  elapse(day);  // 80 days
  ASSERT_TRUE(arrives(rx, 1));
  auto first = json::parse(rx.requests()[0].body);
  EXPECT_EQ(first["type"], "secret_rotation_due");
  EXPECT_EQ(first["severity"], "WARNING");
  EXPECT_EQ(first["fingerprint"], "secret_rotation_due:coinbase_api_key");
  elapse(10 * day);  // 90 days: not yet past
  elapse(day);       // 91 days
  ASSERT_TRUE(test::eventually(
    [&] {
      auto got = rx.requests();
      return !got.empty() && json::parse(got.back().body)["severity"] == "CRITICAL";
    },
    10s));
  EXPECT_NEAR(value("trader_alerting_secret_age_seconds", {{"secret", "coinbase_api_key"}}), 91.0 * 86400, 1);
}

TEST_F(AlertingActorTest, UnknownKeyAgeRaisesNothing) {
  webhook_receiver rx;
  auto o = options({json_sink("json", rx.url())});
  o.keys = {{"coinbase_api_key", 0}};
  auto a = start(o);
  elapse(std::chrono::nanoseconds(o.rotation_check_interval).count());
  EXPECT_EQ(value("trader_alerting_alerts_total", {{"type", "secret_rotation_due"}}), 0);
  EXPECT_TRUE(rx.requests().empty());
}

} // namespace
