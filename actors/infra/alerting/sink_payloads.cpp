#include "actors/infra/alerting/sink_payloads.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>

namespace trader::alerting {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<sink_kind, std::string_view>, 5> sink_names{{
  {sink_kind::log, "log"},
  {sink_kind::slack, "slack"},
  {sink_kind::pagerduty, "pagerduty"},
  {sink_kind::telegram, "telegram"},
  {sink_kind::generic_json, "generic_json"},
}};

/// Telegram caps a message at 4096 characters.
constexpr std::size_t telegram_max_text = 4000;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string_view pagerduty_severity(severity s) {
  switch (s) {
    case severity::info: return "info";
    case severity::warning: return "warning";
    case severity::critical: return "critical";
  }
  return "critical";
}

std::string prefix(const notification& n) {
  switch (n.kind) {
    case notification_kind::trigger: return "";
    case notification_kind::escalation: return "ESCALATED (" + std::to_string(n.escalation_level) + ") ";
    case notification_kind::acknowledge: return "ACKNOWLEDGED ";
    case notification_kind::resolve: return "RESOLVED ";
    case notification_kind::test: return "TEST ";
  }
  return "";
}

std::string trim_slash(std::string s) {
  while (!s.empty() && s.back() == '/')
    s.pop_back();
  return s;
}

} // namespace

std::string_view to_string(sink_kind k) {
  for (const auto& [kind, name] : sink_names)
    if (kind == k)
      return name;
  return "log";
}

std::optional<sink_kind> parse_sink_kind(std::string_view s) {
  for (const auto& [kind, name] : sink_names)
    if (name == s)
      return kind;
  return std::nullopt;
}

bool parse_url(std::string_view url, url_parts& out) {
  url_parts p;
  auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return false;
  p.scheme = std::string(url.substr(0, sep));
  if (p.scheme != "http" && p.scheme != "https")
    return false;
  auto rest = url.substr(sep + 3);
  auto slash = rest.find('/');
  auto authority = rest.substr(0, slash);
  p.target = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (authority.empty() || authority.find('@') != std::string_view::npos)
    return false;
  std::string_view host = authority;
  std::string_view port;
  if (authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos)
      return false;
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':')
        return false;
      port = authority.substr(close + 2);
    }
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty())
    return false;
  p.host = std::string(host);
  p.port = p.scheme == "https" ? 443 : 80;
  if (!port.empty()) {
    unsigned v = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), v);
    if (ec != std::errc{} || ptr != port.data() + port.size() || v == 0 || v > 65535)
      return false;
    p.port = static_cast<std::uint16_t>(v);
  }
  out = std::move(p);
  return true;
}

std::string format_text(const notification& n, std::string_view environment) {
  std::string s = prefix(n) + "[" + std::string(severity_label(n.a.level)) + "] " + n.a.type;
  if (!n.a.source.empty())
    s += " (" + n.a.source + ")";
  if (!environment.empty())
    s += " on " + std::string(environment);
  s += ": " + n.a.title;
  if (!n.a.detail.empty())
    s += " - " + n.a.detail;
  if (n.occurrences > 1)
    s += " [x" + std::to_string(n.occurrences) + "]";
  if (n.kind == notification_kind::acknowledge && !n.acknowledged_by.empty())
    s += " (by " + n.acknowledged_by + ")";
  s += " fingerprint=" + n.a.fingerprint;
  return s;
}

std::string slack_body(const notification& n, std::string_view environment) {
  std::string text = format_text(n, environment);
  if (n.kind == notification_kind::escalation)
    text = "<!channel> " + text;
  return dump(json{{"text", text}});
}

std::string pagerduty_body(const notification& n, std::string_view routing_key, std::string_view environment) {
  json j{{"routing_key", routing_key}, {"dedup_key", n.a.fingerprint}};
  switch (n.kind) {
    case notification_kind::acknowledge: j["event_action"] = "acknowledge"; return dump(j);
    case notification_kind::resolve: j["event_action"] = "resolve"; return dump(j);
    case notification_kind::trigger:
    case notification_kind::escalation:
    case notification_kind::test: break;
  }
  j["event_action"] = "trigger";
  auto level = n.kind == notification_kind::escalation ? severity::critical : n.a.level;
  json details{{"type", n.a.type}, {"detail", n.a.detail}, {"occurrences", n.occurrences},
               {"escalation_level", n.escalation_level}, {"notification", to_string(n.kind)}};
  j["payload"] = json{{"summary", format_text(n, environment).substr(0, 1024)},
                      {"source", environment.empty() ? std::string("traderd") : std::string(environment)},
                      {"severity", pagerduty_severity(level)},
                      {"timestamp", format_rfc3339_ms(n.a.ts)},
                      {"component", n.a.source},
                      {"class", n.a.type},
                      {"custom_details", details}};
  return dump(j);
}

std::string telegram_body(const notification& n, std::string_view chat_id, std::string_view environment) {
  auto text = format_text(n, environment);
  if (n.kind == notification_kind::escalation)
    text = "\xE2\x80\xBC " + text;  // double exclamation mark
  if (text.size() > telegram_max_text)
    text = text.substr(0, telegram_max_text) + "...";
  return dump(json{{"chat_id", chat_id}, {"text", text}, {"disable_web_page_preview", true}});
}

std::string generic_body(const notification& n, std::string_view environment) {
  return dump(json{{"v", 1},
                   {"notification", to_string(n.kind)},
                   {"type", n.a.type},
                   {"severity", severity_label(n.a.level)},
                   {"fingerprint", n.a.fingerprint},
                   {"title", n.a.title},
                   {"detail", n.a.detail},
                   {"source", n.a.source},
                   {"environment", environment},
                   {"ts", format_rfc3339_ms(n.a.ts)},
                   {"occurrences", n.occurrences},
                   {"escalation_level", n.escalation_level},
                   {"acknowledged_by", n.acknowledged_by}});
}

std::optional<outbound_request> request_for(const sink_config& s, const notification& n) {
  outbound_request r;
  switch (s.kind) {
    case sink_kind::log: return std::nullopt;
    case sink_kind::slack:
      r.url = r.display_url = s.url;
      r.body = slack_body(n, s.environment);
      break;
    case sink_kind::pagerduty: {
      r.url = r.display_url = s.url.empty() ? "https://events.pagerduty.com/v2/enqueue" : s.url;
      r.body = pagerduty_body(n, s.routing_key, s.environment);
      break;
    }
    case sink_kind::telegram: {
      auto base = trim_slash(s.url.empty() ? "https://api.telegram.org" : s.url);
      r.url = base + "/bot" + s.bot_token + "/sendMessage";
      r.display_url = base + "/bot<redacted>/sendMessage";
      r.body = telegram_body(n, s.chat_id, s.environment);
      break;
    }
    case sink_kind::generic_json:
      r.url = r.display_url = s.url;
      r.body = generic_body(n, s.environment);
      break;
  }
  // Slack's webhook path is itself a secret.
  if (s.kind == sink_kind::slack) {
    url_parts u;
    if (parse_url(s.url, u))
      r.display_url = u.scheme + "://" + u.host + "/<redacted>";
  }
  return r;
}

} // namespace trader::alerting
