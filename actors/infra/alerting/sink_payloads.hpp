#pragma once
// Sink configuration and payloads: pure functions from a notification to the JSON body
// and target URL of a Slack-compatible webhook, PagerDuty Events v2, Telegram Bot API
// sendMessage, or a generic JSON webhook. No CAF, no I/O.

#include "actors/infra/alerting/alert_engine.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trader::alerting {

/// Where alerts can go.
enum class sink_kind { log, slack, pagerduty, telegram, generic_json };

/// "log", "slack", "pagerduty", "telegram", "generic_json".
std::string_view to_string(sink_kind k);
/// The inverse of to_string.
std::optional<sink_kind> parse_sink_kind(std::string_view s);

/// One configured sink ([[alerting.sinks]] in app.toml).
struct sink_config {
  std::string name;                     ///< Unique, e.g. "ops-slack".
  sink_kind kind = sink_kind::log;
  std::string url;                      ///< slack/generic_json: the webhook URL; pagerduty: the Events v2
                                        ///< enqueue endpoint (empty = https://events.pagerduty.com/v2/enqueue);
                                        ///< telegram: the Bot API base (empty = https://api.telegram.org).
  std::string routing_key;              ///< pagerduty: the integration (routing) key; a secret.
  std::string bot_token;                ///< telegram: the bot token; a secret.
  std::string chat_id;                  ///< telegram: the chat to post to.
  severity min_level = severity::info;  ///< Alerts below this level skip this sink.
  bool escalation_only = false;         ///< The second sink: escalations only.
  std::string environment;              ///< Shown in messages, e.g. "paper@host1".
  std::chrono::milliseconds timeout{0}; ///< Bound on one POST; 0 = the dispatcher's default.
};

/// A URL split for a plain connect.
struct url_parts {
  std::string scheme;   ///< "http" or "https".
  std::string host;
  std::uint16_t port = 0;
  std::string target;   ///< Path and query, at least "/".
};

/// Parses http(s)://host[:port][/path]; false if malformed.
bool parse_url(std::string_view url, url_parts& out);

/// An HTTP POST to make.
struct outbound_request {
  std::string url;           ///< Full URL (may contain a secret: the Telegram token).
  std::string display_url;   ///< The URL with secrets redacted, for logs.
  std::string body;          ///< JSON.
  std::string content_type = "application/json";
};

/// One line for humans: "[CRITICAL] sequence_gap (market_data): title - detail".
std::string format_text(const notification& n, std::string_view environment = {});

/// Slack-compatible webhook body: {"text": ...}; escalations mention <!channel>.
std::string slack_body(const notification& n, std::string_view environment);
/// PagerDuty Events v2 body: trigger / acknowledge / resolve with dedup_key = fingerprint.
std::string pagerduty_body(const notification& n, std::string_view routing_key, std::string_view environment);
/// Telegram sendMessage body: {"chat_id", "text", "disable_web_page_preview"}.
std::string telegram_body(const notification& n, std::string_view chat_id, std::string_view environment);
/// Generic JSON: every field of the notification, versioned ("v":1).
std::string generic_body(const notification& n, std::string_view environment);

/// The request for sink s, or nullopt for a log sink (the actor logs format_text()).
std::optional<outbound_request> request_for(const sink_config& s, const notification& n);

} // namespace trader::alerting
