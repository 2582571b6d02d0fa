#pragma once
// What to tell whom, and when: fingerprint dedupe (60 s), escalation of unacknowledged
// CRITICAL alerts (after 2 min, boosted, and to the escalation sink), acknowledgement,
// resolution. Pure: time comes from a time_source, output is a list of notifications for
// the dispatcher to format and deliver. No CAF, no I/O.

#include "actors/infra/alerting/alert_types.hpp"
#include "runtime/clock.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trader::alerting {

/// Why a notification is sent.
enum class notification_kind {
  trigger,      ///< A new alert, or a repeat after the dedupe window.
  escalation,   ///< An unacknowledged alert (CRITICAL by default), re-sent boosted.
  acknowledge,  ///< An operator acknowledged it (stops escalation).
  resolve,      ///< The condition cleared.
  test,         ///< `traderctl alert test`.
};

/// "trigger", "escalation", ...
std::string_view to_string(notification_kind k);

/// One message for one sink.
struct notification {
  std::string sink;               ///< Sink name from the engine's config.
  notification_kind kind = notification_kind::trigger;
  alert a;                        ///< The alert, fingerprint filled in, level effective.
  int escalation_level = 0;       ///< 0 normally; n for the n-th escalation.
  std::int64_t occurrences = 1;   ///< How often it was raised while active.
  std::string acknowledged_by;    ///< "uid 1000" for acknowledge notifications.
};

/// A sink as the engine sees it: which severities it gets and its role.
struct sink_route {
  std::string name;
  severity min_level = severity::info;  ///< Alerts below this are not sent to it.
  bool escalation_only = false;         ///< Gets escalations (and their ack/resolve) only.
};

/// Engine settings; defaults are the issue's.
struct engine_config {
  std::chrono::nanoseconds dedupe_window = std::chrono::seconds(60);      ///< Same fingerprint within: suppressed.
  std::chrono::nanoseconds escalation_after = std::chrono::seconds(120);  ///< Unacked CRITICAL → escalate.
  int max_escalations = 3;              ///< Escalations per alert (every escalation_after).
  severity escalate_min_level = severity::critical;  ///< Unacked alerts at or above escalate; each
                                                     ///< escalation boosts the level one step.
  std::size_t max_active = 1000;        ///< Active alerts kept; the oldest resolved-less ones drop.
  std::vector<sink_route> sinks;        ///< Every configured sink.
};

/// An alert that is raised and not resolved.
struct active_alert {
  alert last;                     ///< Latest occurrence (fingerprint filled in).
  mono_ns first_seen = 0;
  mono_ns last_seen = 0;
  mono_ns last_sent = 0;          ///< Last trigger/escalation sent (the dedupe window's start).
  mono_ns last_escalated = 0;     ///< First trigger or last escalation (the escalation timer).
  std::int64_t occurrences = 0;
  int escalation_level = 0;
  bool acknowledged = false;
  std::string acknowledged_by;
  std::vector<std::string> notified;  ///< Sinks that got it (they get the resolve).
};

/// Counters for metrics (trader_alerting_*).
struct engine_stats {
  std::int64_t raised = 0;          ///< Alerts received (not resolves).
  std::int64_t deduplicated = 0;    ///< Suppressed by the dedupe window or an ack.
  std::int64_t escalations = 0;
  std::int64_t acknowledged = 0;
  std::int64_t resolved = 0;
  std::int64_t unknown_types = 0;   ///< Raised with a type nobody registered.
};

/// The dedupe / escalation / ack / resolve state machine.
class alert_engine {
public:
  alert_engine(const alert_type_registry& types, engine_config cfg, const time_source& clock);

  /// Replaces the settings (a config reload); active alerts, their timers and the sinks
  /// already notified stay.
  void reconfigure(engine_config cfg) { cfg_ = std::move(cfg); }
  /// The settings in force.
  const engine_config& config() const { return cfg_; }

  /// Takes one alert (or, with a.resolved, its resolution); returns what to send now.
  std::vector<notification> raise(alert a);
  /// Escalations due now; call every few seconds.
  std::vector<notification> tick();
  /// Acknowledges by fingerprint (stops escalation, silences repeats until resolved);
  /// false if no such active alert. by: who, for the audit ("uid 1000").
  bool acknowledge(const std::string& fingerprint, const std::string& by, std::vector<notification>& out);
  /// A staging alert for every configured sink, ignoring severity filters.
  std::vector<notification> test(const std::string& requested_by);

  /// Active alerts, oldest first.
  std::vector<active_alert> active() const;
  /// Counters so far.
  const engine_stats& stats() const { return stats_; }

  /// The dedupe key of a: its fingerprint, or type + ":" + source when empty.
  static std::string fingerprint_of(const alert& a);

private:
  void notify(active_alert& e, notification_kind kind, std::vector<notification>& out, bool include_escalation);
  void evict_if_full();

  const alert_type_registry& types_;
  engine_config cfg_;
  const time_source& clock_;
  std::map<std::string, active_alert> active_;
  engine_stats stats_;
};

} // namespace trader::alerting
