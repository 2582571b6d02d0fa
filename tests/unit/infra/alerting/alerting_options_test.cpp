// Verifies the mapping of [alerts] + secrets onto the alerting actor's options: which sinks
// exist, their secrets, the escalation sink, timing, and the API key's creation date.

#include "actors/infra/alerting/alerting_options.hpp"

#include <gtest/gtest.h>

#include <map>

using namespace trader;
using namespace trader::alerting;

namespace {

config::env_lookup env_of(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

const sink_config* find(const alerting_options& o, const std::string& name) {
  for (const auto& s : o.sinks)
    if (s.name == name)
      return &s;
  return nullptr;
}

bool mentions(const alerting_options& o, const std::string& what) {
  for (const auto& p : o.problems)
    if (p.find(what) != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST(AlertingOptions, DefaultsAreTheLogSinkAndTheIssueTimings) {
  config::trader_config c;
  auto o = options_from(c, env_of({}), "dry_run@h");
  ASSERT_EQ(o.sinks.size(), 1u);
  EXPECT_EQ(o.sinks[0].kind, sink_kind::log);
  EXPECT_EQ(o.engine.dedupe_window, std::chrono::seconds(60));
  EXPECT_EQ(o.engine.escalation_after, std::chrono::seconds(120));
  EXPECT_TRUE(o.problems.empty());
  ASSERT_EQ(o.keys.size(), 1u);
  EXPECT_EQ(o.keys[0].created, 0);
}

TEST(AlertingOptions, EverySinkTakesItsUrlsSecretsAndTimeouts) {
  config::trader_config c;
  c.alerts.sinks = {"log", "webhook", "pagerduty", "telegram", "json"};
  c.alerts.min_severity = "CRITICAL";
  c.alerts.telegram.chat_id = "-100";
  c.alerts.json.url = "http://127.0.0.1:9/json";
  c.alerts.pagerduty.timeout_ms = 1234;
  auto o = options_from(c,
                        env_of({{"ALERT_WEBHOOK_URL", "https://hooks.example/T/B/S"},
                                {"PAGERDUTY_ROUTING_KEY", "RK"},
                                {"TELEGRAM_BOT_TOKEN", "TOK"}}),
                        "paper@h");
  EXPECT_TRUE(o.problems.empty()) << o.problems.front();
  ASSERT_EQ(o.sinks.size(), 5u);
  EXPECT_EQ(find(o, "webhook")->kind, sink_kind::slack);
  EXPECT_EQ(find(o, "webhook")->url, "https://hooks.example/T/B/S");
  EXPECT_EQ(find(o, "pagerduty")->routing_key, "RK");
  EXPECT_EQ(find(o, "pagerduty")->url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(find(o, "pagerduty")->timeout, std::chrono::milliseconds(1234));
  EXPECT_EQ(find(o, "telegram")->bot_token, "TOK");
  EXPECT_EQ(find(o, "telegram")->chat_id, "-100");
  EXPECT_EQ(find(o, "json")->url, "http://127.0.0.1:9/json");
  EXPECT_EQ(find(o, "json")->min_level, severity::critical);
  EXPECT_EQ(find(o, "log")->min_level, severity::info);  // the log gets everything
  EXPECT_EQ(find(o, "json")->environment, "paper@h");
}

TEST(AlertingOptions, SinkWithoutItsSecretIsLeftOutAndNamed) {
  config::trader_config c;
  c.alerts.sinks = {"pagerduty", "webhook"};
  auto o = options_from(c, env_of({}), "");
  ASSERT_EQ(o.sinks.size(), 1u);  // the log sink is the floor
  EXPECT_EQ(o.sinks[0].kind, sink_kind::log);
  EXPECT_TRUE(mentions(o, "pagerduty_routing_key"));
  EXPECT_TRUE(mentions(o, "alert_webhook_url"));
}

TEST(AlertingOptions, TelegramWithoutChatIdIsLeftOutAndItsTokenNeverShows) {
  config::trader_config c;
  c.alerts.sinks = {"telegram"};
  auto o = options_from(c, env_of({{"TELEGRAM_BOT_TOKEN", "SEKRIT"}}), "");
  EXPECT_EQ(find(o, "telegram"), nullptr);  // chat_id missing
  EXPECT_TRUE(mentions(o, "chat_id"));
  for (const auto& p : o.problems)
    EXPECT_EQ(p.find("SEKRIT"), std::string::npos);
}

TEST(AlertingOptions, EscalationSinkGetsEscalationsOnly) {
  config::trader_config c;
  c.alerts.sinks = {"log", "json"};
  c.alerts.json.url = "http://127.0.0.1:9/json";
  c.alerts.escalation_sink = "pagerduty";
  auto o = options_from(c, env_of({{"PAGERDUTY_ROUTING_KEY", "RK"}}), "");
  ASSERT_NE(find(o, "pagerduty"), nullptr);
  EXPECT_TRUE(find(o, "pagerduty")->escalation_only);
  EXPECT_FALSE(find(o, "json")->escalation_only);
}

TEST(AlertingOptions, EscalationSinkAlsoPrimaryIsNamedAsAProblem) {
  config::trader_config c;
  c.alerts.sinks = {"json"};
  c.alerts.json.url = "http://127.0.0.1:9/json";
  c.alerts.escalation_sink = "json";
  auto o = options_from(c, env_of({}), "");
  EXPECT_FALSE(find(o, "json")->escalation_only);
  EXPECT_TRUE(mentions(o, "escalation_sink"));
}

TEST(AlertingOptions, EscalationOffWhenEscalateAfterIsZero) {
  config::trader_config c;
  c.alerts.escalate_after_s = 0;
  EXPECT_EQ(options_from(c, env_of({}), "").engine.max_escalations, 0);
}

TEST(AlertingOptions, KeyCreationDateComesFromItsSecret) {
  config::trader_config c;
  auto o = options_from(c, env_of({{"COINBASE_API_KEY_CREATED", "2026-01-31"}}), "");
  ts_ns want = 0;
  ASSERT_TRUE(parse_rfc3339("2026-01-31T00:00:00Z", want));
  EXPECT_EQ(o.keys.at(0).created, want);
  auto bad = options_from(c, env_of({{"COINBASE_API_KEY_CREATED", "last tuesday"}}), "");
  EXPECT_EQ(bad.keys.at(0).created, 0);
  EXPECT_TRUE(mentions(bad, "coinbase_api_key_created"));
}

TEST(AlertingOptions, LiveWithoutAKeyDateSaysSo) {
  config::trader_config c;
  c.app.mode = config::trading_mode::live;
  EXPECT_TRUE(mentions(options_from(c, env_of({}), ""), "coinbase_api_key_created"));
}

TEST(AlertingOptions, EnvironmentIsModeAtHost) {
  config::trader_config c;
  c.app.mode = config::trading_mode::paper;
  EXPECT_EQ(environment_of(c, "box1"), "paper@box1");
}
