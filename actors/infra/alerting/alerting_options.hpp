#pragma once
// What the alerting actor runs with, as plain data, and the pure mapping from the loaded
// configuration ([alerts], [alerts.SINK]) plus secrets onto it. No CAF; used at start and
// again on every config_changed that touches [alerts].

#include "actors/infra/alerting/alert_engine.hpp"
#include "actors/infra/alerting/delivery_queue.hpp"
#include "actors/infra/alerting/secret_rotation.hpp"
#include "actors/infra/alerting/sink_payloads.hpp"
#include "runtime/config/mode_gate.hpp"
#include "runtime/config/trader_config.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace trader::alerting {

/// An API key whose age is watched (secret rotation).
struct watched_key {
  std::string name;  ///< e.g. "coinbase_api_key"; the metric label and the alert fingerprint.
  ts_ns created = 0; ///< When the key was created (wall ns); 0 = unknown, nothing is raised.
};

/// The log sink (named "log"): every alert, written at once, never fails.
sink_config log_sink();

/// Everything the alerting actor is configured with.
struct alerting_options {
  /// Every sink, primaries first; the escalation sink (if any) has escalation_only set.
  std::vector<sink_config> sinks{log_sink()};
  /// Dedupe, escalation and escalation timing; its `sinks` is derived from `sinks` above.
  engine_config engine;
  /// Delivery retries with backoff and the dead-letter rule.
  retry_policy retry;
  /// Timeout of one POST for sinks without their own.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(10);
  /// Escalations are looked for this often.
  std::chrono::nanoseconds tick_interval = std::chrono::seconds(10);
  /// Key ages are checked at start and this often (a WARNING repeats at this pace until
  /// acknowledged: twice a day is a reminder, not noise).
  std::chrono::nanoseconds rotation_check_interval = std::chrono::hours(12);
  rotation_policy rotation;
  std::vector<watched_key> keys;
  /// What the mapping could not set up (a sink without its secret, a bad date); logged at
  /// start and on reload. Never contains a secret's value.
  std::vector<std::string> problems;
};

/// The environment shown in messages: "<mode>@<host>", e.g. "paper@host1".
std::string environment_of(const config::trader_config& c, const std::string& host);

/// Maps [alerts] onto options. Secrets (read through env: $CREDENTIALS_DIRECTORY/<name>
/// first, then the variable): alert_webhook_url / alert_json_url when the section's url is
/// empty, pagerduty_routing_key, telegram_bot_token, and coinbase_api_key_created (the
/// Coinbase key's creation date, RFC 3339 or YYYY-MM-DD). A sink whose secret is missing
/// is left out and named in problems; the log sink is always there.
alerting_options options_from(const config::trader_config& c, const config::env_lookup& env,
                              const std::string& environment);

/// Parses "2026-01-31" (midnight UTC) or an RFC 3339 time; false if neither.
bool parse_key_date(std::string_view text, ts_ns& out);

} // namespace trader::alerting
