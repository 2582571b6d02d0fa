// traderd's alert sinks end to end: `traderctl alert test` reaches a local webhook receiver
// configured in [alerts.json]; a real CRITICAL alert reaches a PagerDuty-style receiver
// (routing key from the environment, as a secret) and `traderctl alert ack` sends the
// acknowledge; a reload that changes [alerts.json] moves deliveries to the new URL.

#include "tests/system/traderd/traderd_fixture.hpp"
#include "tests/unit/infra/alerting/webhook_receiver.hpp"

#include <csignal>

using namespace std::chrono_literals;
using namespace trader;
using test_support::webhook_receiver;

namespace {

class TraderdAlertsTest : public test::traderd_fixture {
protected:
  /// Runs traderctl against this daemon's socket; its exit code.
  int traderctl(std::vector<std::string> args) {
    std::vector<std::string> argv{TRADERCTL_PATH, "--config", cfg, "--socket", socket()};
    argv.insert(argv.end(), args.begin(), args.end());
    test::child_process p(argv, dir / ("traderctl" + std::to_string(++ctl_runs_)));
    return p.wait(30s).value_or(-1);
  }
  static std::string json_sink(const std::string& url) {
    return "[metrics]\nenabled = false\n[alerts]\nsinks = [\"log\", \"json\"]\n[alerts.json]\nurl = \"" + url + "\"\n";
  }
  /// Requests whose JSON body has field == value.
  static std::size_t count(webhook_receiver& rx, const std::string& field, const std::string& value) {
    std::size_t n = 0;
    for (const auto& r : rx.requests())
      n += nlohmann::json::parse(r.body, nullptr, false).value(field, "") == value;
    return n;
  }
  int ctl_runs_ = 0;
};

TEST_F(TraderdAlertsTest, AlertTestFromTraderctlReachesTheWebhookReceiver) {
  webhook_receiver rx;
  write_app("", json_sink(rx.url() + "/hook"));
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_EQ(traderctl({"alert", "test"}), 0);
  ASSERT_TRUE(test::eventually([&] { return count(rx, "type", "staging_test") == 1; }, 10s)) << p->err();
  EXPECT_EQ(rx.requests().at(0).target, "/hook");
  EXPECT_EQ(nlohmann::json::parse(rx.requests().at(0).body)["environment"].get<std::string>().rfind("dry_run@", 0),
            0u);
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

TEST_F(TraderdAlertsTest, CriticalAlertReachesPagerDutyAndAckIsSentThere) {
  webhook_receiver pd;
  test::write_file(dir / "state/data.mdb", "garbage");  // the state actor raises CRITICAL state_unavailable
  write_app("", "[metrics]\nenabled = false\n[alerts]\nsinks = [\"log\", \"pagerduty\"]\n[alerts.pagerduty]\nurl = \"" +
                  pd.url() + "/v2/enqueue\"\n");
  auto p = start({}, {"PAGERDUTY_ROUTING_KEY=R0UTE"});
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(test::eventually([&] { return count(pd, "event_action", "trigger") >= 1; }, 10s)) << p->err();
  auto first = nlohmann::json::parse(pd.requests().at(0).body);
  EXPECT_EQ(first["routing_key"], "R0UTE");
  EXPECT_EQ(first["dedup_key"], "state_unavailable");
  EXPECT_EQ(first["payload"]["severity"], "critical");
  EXPECT_EQ(p->err().find("R0UTE"), std::string::npos);  // a secret never reaches the log
  EXPECT_EQ(traderctl({"alert", "ack", "state_unavailable"}), 0);
  EXPECT_TRUE(test::eventually([&] { return count(pd, "event_action", "acknowledge") == 1; }, 10s)) << p->err();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

TEST_F(TraderdAlertsTest, ReloadMovesDeliveriesToTheNewSinkUrl) {
  webhook_receiver before, after;
  write_app("", json_sink(before.url()));
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  write_app("", json_sink(after.url()));
  auto r = call("reload");
  ASSERT_EQ(r.value("message", ""), "applied") << r.dump();
  EXPECT_EQ(traderctl({"alert", "test"}), 0);
  ASSERT_TRUE(test::eventually([&] { return count(after, "type", "staging_test") == 1; }, 10s)) << p->err();
  EXPECT_EQ(count(before, "type", "staging_test"), 0u);
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

} // namespace
