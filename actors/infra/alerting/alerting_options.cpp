#include "actors/infra/alerting/alerting_options.hpp"

#include "runtime/clock.hpp"
#include "runtime/config/secrets.hpp"

#include <algorithm>
#include <cctype>

namespace trader::alerting {

namespace {

severity severity_of(const std::string& s) {
  if (s == "INFO")
    return severity::info;
  if (s == "CRITICAL")
    return severity::critical;
  return severity::warning;
}

/// The secret's value, or empty with why (never the value) appended to problems.
std::string secret_or_note(std::string_view name, std::string_view needed_by, const config::env_lookup& env,
                           std::vector<std::string>& problems) {
  auto r = config::load_secret(name, env);
  if (r.value)
    return r.value->reveal();
  problems.push_back(std::string(needed_by) + ": " + r.error);
  return {};
}

/// The sink named by [alerts] (webhook, pagerduty, telegram, json, log), or nullopt (with a
/// problem noted) when its secret or a required field is missing.
std::optional<sink_config> sink_named(const std::string& name, const config::alerts_section& a,
                                      const config::env_lookup& env, std::vector<std::string>& problems) {
  sink_config s;
  s.name = name;
  auto ms = [](std::int64_t v) { return std::chrono::milliseconds(v); };
  if (name == "log") {
    s.kind = sink_kind::log;
  } else if (name == "webhook") {
    s.kind = sink_kind::slack;
    s.url = a.webhook.url.empty() ? secret_or_note("alert_webhook_url", "sink webhook", env, problems) : a.webhook.url;
    s.timeout = ms(a.webhook.timeout_ms);
    if (s.url.empty())
      return std::nullopt;
  } else if (name == "json") {
    s.kind = sink_kind::generic_json;
    s.url = a.json.url.empty() ? secret_or_note("alert_json_url", "sink json", env, problems) : a.json.url;
    s.timeout = ms(a.json.timeout_ms);
    if (s.url.empty())
      return std::nullopt;
  } else if (name == "pagerduty") {
    s.kind = sink_kind::pagerduty;
    s.url = a.pagerduty.url;
    s.routing_key = secret_or_note("pagerduty_routing_key", "sink pagerduty", env, problems);
    s.timeout = ms(a.pagerduty.timeout_ms);
    if (s.routing_key.empty())
      return std::nullopt;
  } else if (name == "telegram") {
    s.kind = sink_kind::telegram;
    s.url = a.telegram.api_url;
    s.chat_id = a.telegram.chat_id;
    s.bot_token = secret_or_note("telegram_bot_token", "sink telegram", env, problems);
    s.timeout = ms(a.telegram.timeout_ms);
    if (s.chat_id.empty())
      problems.emplace_back("sink telegram: alerts.telegram.chat_id is empty");
    if (s.bot_token.empty() || s.chat_id.empty())
      return std::nullopt;
  } else {
    problems.push_back("unknown sink " + name);
    return std::nullopt;
  }
  return s;
}

} // namespace

sink_config log_sink() {
  sink_config s;
  s.name = "log";
  s.kind = sink_kind::log;
  return s;
}

std::string environment_of(const config::trader_config& c, const std::string& host) {
  std::string mode = config::to_string(c.app.mode);
  std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return host.empty() ? mode : mode + "@" + host;
}

bool parse_key_date(std::string_view text, ts_ns& out) {
  if (text.size() == 10)
    return parse_rfc3339(std::string(text) + "T00:00:00Z", out);
  return parse_rfc3339(text, out);
}

alerting_options options_from(const config::trader_config& c, const config::env_lookup& env,
                              const std::string& environment) {
  alerting_options o;
  const auto& a = c.alerts;
  o.sinks.clear();
  auto primary_level = severity_of(a.min_severity);
  bool has_log = false;
  for (const auto& name : a.sinks) {
    if (std::any_of(o.sinks.begin(), o.sinks.end(), [&](const auto& s) { return s.name == name; }))
      continue;
    if (auto s = sink_named(name, a, env, o.problems)) {
      s->min_level = s->kind == sink_kind::log ? severity::info : primary_level;
      has_log = has_log || s->kind == sink_kind::log;
      o.sinks.push_back(std::move(*s));
    }
  }
  // The log sink is the floor: an alert is never delivered nowhere.
  if (!has_log)
    o.sinks.insert(o.sinks.begin(), log_sink());
  if (a.escalation_sink != "none" && !a.escalation_sink.empty()) {
    if (std::find(a.sinks.begin(), a.sinks.end(), a.escalation_sink) != a.sinks.end()) {
      o.problems.push_back("alerts.escalation_sink " + a.escalation_sink +
                           " is also in alerts.sinks: it gets every alert, not only escalations");
    } else if (auto s = sink_named(a.escalation_sink, a, env, o.problems)) {
      s->escalation_only = true;
      o.sinks.push_back(std::move(*s));
    }
  }
  for (auto& s : o.sinks)
    s.environment = environment;
  o.engine.dedupe_window = std::chrono::seconds(a.dedupe_window_s);
  o.engine.escalation_after = std::chrono::seconds(a.escalate_after_s);
  if (a.escalate_after_s == 0)
    o.engine.max_escalations = 0;
  o.engine.sinks = {};  // derived from o.sinks by the actor

  watched_key key{"coinbase_api_key", 0};
  auto created = config::load_secret("coinbase_api_key_created", env);
  if (created.value) {
    if (!parse_key_date(created.value->reveal(), key.created)) {
      key.created = 0;
      o.problems.push_back("secret coinbase_api_key_created (" + created.source +
                           "): not a date (want YYYY-MM-DD or RFC 3339); key age unknown");
    }
  } else if (c.app.mode == config::trading_mode::live) {
    o.problems.emplace_back("coinbase_api_key_created is not set: the API key's age (rotation: 80/90 days) is unknown");
  }
  o.keys.push_back(key);
  return o;
}

} // namespace trader::alerting
