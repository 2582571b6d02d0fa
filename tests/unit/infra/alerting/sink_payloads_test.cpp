// Verifies the sink payloads: Slack, PagerDuty Events v2, Telegram, generic JSON; URLs.

#include "actors/infra/alerting/sink_payloads.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace trader;
using namespace trader::alerting;
using nlohmann::json;

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

notification sample(notification_kind kind = notification_kind::trigger) {
  notification n;
  n.sink = "s";
  n.kind = kind;
  n.a.type = "clock_skew";
  n.a.level = severity::critical;
  n.a.source = "clock";
  n.a.title = "clock skew 412 ms";
  n.a.detail = "limit 150 ms";
  n.a.fingerprint = "clock_skew:clock";
  n.a.ts = 1'700'000'000'000'000'000;
  return n;
}

} // namespace

TEST(SinkPayloads, ParsesUrls) {
  url_parts u;
  ASSERT_TRUE(parse_url("http://127.0.0.1:8080/hook?x=1", u));
  EXPECT_EQ(u.host, "127.0.0.1");
  EXPECT_EQ(u.port, 8080);
  EXPECT_EQ(u.target, "/hook?x=1");
  ASSERT_TRUE(parse_url("https://hooks.slack.com", u));
  EXPECT_EQ(u.port, 443);
  EXPECT_EQ(u.target, "/");
  ASSERT_TRUE(parse_url("http://[::1]:9/x", u));
  EXPECT_EQ(u.host, "::1");
  for (auto bad : {"", "ftp://x/", "http://", "http://h:0/", "http://h:99999/", "http://u@h/", "127.0.0.1:80"})
    EXPECT_FALSE(parse_url(bad, u)) << bad;
}

TEST(SinkPayloads, SlackCarriesOneTextLineAndMentionsTheChannelOnEscalation) {
  auto j = json::parse(slack_body(sample(), "paper@host1"));
  auto text = j["text"].get<std::string>();
  EXPECT_NE(text.find("[CRITICAL] clock_skew (clock) on paper@host1: clock skew 412 ms - limit 150 ms"), std::string::npos)
    << text;
  auto esc = sample(notification_kind::escalation);
  esc.escalation_level = 2;
  auto etext = json::parse(slack_body(esc, ""))["text"].get<std::string>();
  EXPECT_EQ(etext.rfind("<!channel> ESCALATED (2)", 0), 0u) << etext;
}

TEST(SinkPayloads, PagerDutyTriggerHasRoutingKeyDedupKeyAndPayload) {
  auto j = json::parse(pagerduty_body(sample(), "R0UTING", "live@host1"));
  EXPECT_EQ(j["routing_key"], "R0UTING");
  EXPECT_EQ(j["event_action"], "trigger");
  EXPECT_EQ(j["dedup_key"], "clock_skew:clock");
  EXPECT_EQ(j["payload"]["severity"], "critical");
  EXPECT_EQ(j["payload"]["source"], "live@host1");
  EXPECT_EQ(j["payload"]["timestamp"], "2023-11-14T22:13:20.000Z");
  EXPECT_FALSE(j["payload"]["summary"].get<std::string>().empty());
}

TEST(SinkPayloads, PagerDutyAcknowledgeAndResolveCarryOnlyTheKeys) {
  for (auto [kind, action] : {std::pair{notification_kind::acknowledge, "acknowledge"}, std::pair{notification_kind::resolve, "resolve"}}) {
    auto j = json::parse(pagerduty_body(sample(kind), "R", ""));
    EXPECT_EQ(j["event_action"], action);
    EXPECT_EQ(j["dedup_key"], "clock_skew:clock");
    EXPECT_FALSE(j.contains("payload"));
  }
}

TEST(SinkPayloads, TelegramSendMessage) {
  auto s = sink("tg", sink_kind::telegram);
  s.bot_token = "123:ABC";
  s.chat_id = "-10042";
  auto r = request_for(s, sample());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->url, "https://api.telegram.org/bot123:ABC/sendMessage");
  EXPECT_EQ(r->display_url.find("123:ABC"), std::string::npos);
  auto j = json::parse(r->body);
  EXPECT_EQ(j["chat_id"], "-10042");
  EXPECT_TRUE(j["disable_web_page_preview"]);
  auto long_one = sample();
  long_one.a.detail = std::string(10000, 'x');
  EXPECT_LE(json::parse(telegram_body(long_one, "1", ""))["text"].get<std::string>().size(), 4096u);
}

TEST(SinkPayloads, GenericJsonIsVersionedAndComplete) {
  auto n = sample(notification_kind::acknowledge);
  n.acknowledged_by = "uid 1000";
  auto j = json::parse(generic_body(n, "dry@h"));
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["notification"], "acknowledge");
  EXPECT_EQ(j["severity"], "CRITICAL");
  EXPECT_EQ(j["fingerprint"], "clock_skew:clock");
  EXPECT_EQ(j["acknowledged_by"], "uid 1000");
}

TEST(SinkPayloads, RequestUrlsPerSinkKind) {
  EXPECT_EQ(request_for(sink("pd", sink_kind::pagerduty, "", "K"), sample())->url, "https://events.pagerduty.com/v2/enqueue");
  EXPECT_EQ(request_for(sink("pd", sink_kind::pagerduty, "http://127.0.0.1:9/pd/v2/enqueue"), sample())->url,
            "http://127.0.0.1:9/pd/v2/enqueue");
  auto slack = request_for(sink("sl", sink_kind::slack, "https://hooks.slack.com/services/T/B/SECRET"), sample());
  EXPECT_EQ(slack->display_url.find("SECRET"), std::string::npos);
  EXPECT_FALSE(request_for(sink("log", sink_kind::log), sample()));
}

TEST(SinkPayloads, SinkKindNamesRoundTrip) {
  for (auto k : {sink_kind::log, sink_kind::slack, sink_kind::pagerduty, sink_kind::telegram, sink_kind::generic_json})
    EXPECT_EQ(parse_sink_kind(to_string(k)), k);
  EXPECT_FALSE(parse_sink_kind("email"));
}
