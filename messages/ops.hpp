#pragma once
// Operational facts: every actor ──latency_sample→ latency, ──alert→ alerting,
// supervisors ──health_report→ control; control ──control_command→ any actor.

#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace trader {

enum class severity : std::uint8_t { info, warning, critical };

/// A fact worth a human's attention. Deduplicated by fingerprint in alerting.
struct alert {
  std::string type;         ///< Registered alert type, e.g. "sequence_gap".
  severity level = severity::warning;
  std::string fingerprint;  ///< Dedupe key; defaults to type + source when empty.
  std::string title;
  std::string detail;
  std::string source;       ///< Actor that raised it.
  bool resolved = false;    ///< true = the condition cleared.
  ts_ns ts = 0;
};

/// How long one endpoint call or pipeline stage took.
struct latency_sample {
  std::string endpoint;  ///< e.g. "rest:/orders" or "stage:decision_cycle".
  std::int64_t duration_ns = 0;
  bool ok = true;
  ts_ns ts = 0;
};

enum class actor_run_state : std::uint8_t { starting, running, restarting, stopping, stopped, failed };

/// Health of one supervised child as its supervisor sees it.
struct health_report {
  std::string name;
  std::string parent;
  actor_run_state state = actor_run_state::starting;
  std::int64_t restarts = 0;
  std::string last_failure;  ///< Rendered exit reason of the last abnormal exit.
  ts_ns last_failure_ts = 0;
  ts_ns started_ts = 0;
  std::int64_t mailbox_depth = -1;  ///< -1 = not reported.
  std::int64_t unanswered_ms = 0;   ///< Age of the liveness probe it has not answered; 0 = answering.
};

/// An operator command routed to an actor. Args and results are JSON text (cold path).
struct control_command {
  std::string request_id;
  std::string name;       ///< e.g. "status".
  std::string args_json;  ///< "{}" when none.
  std::int64_t caller_uid = -1;
};

/// The actor's answer to a control_command.
struct control_reply {
  std::string request_id;
  bool ok = false;
  std::string result_json;
  std::string error_code;
  std::string error_message;
};

/// A fact: a reload swapped the configuration; the receiver re-reads the sections it uses
/// from the config holder. traderd → every actor that reads a changed section.
struct config_changed {
  std::string hash;                   ///< New config hash.
  std::vector<std::string> sections;  ///< Changed section names.
};

/// An instruction to state: add running time to a configuration's trading hash (the
/// PAPER-before-LIVE policy reads it). traderd → state, once a minute in PAPER and LIVE.
struct config_runtime {
  std::string trading_hash;
  bool live = false;
  std::int64_t seconds = 0;
};

/// An operator instruction to alerting: send a staging alert through every sink.
struct alert_test {
  std::string by;  ///< e.g. "uid=1000".
};

/// A request to latency: answer with a JSON object of per-endpoint/stage percentiles
/// (control_reply.result_json shape; see actors/latency).
struct latency_report_request {};

/// An operator instruction to alerting: acknowledge one active alert (stops escalation).
struct alert_ack {
  std::string fingerprint;
  std::string by;
};

/// One event for the audit log (audit actor appends it as a JSONL line).
struct audit_entry {
  std::string kind;          ///< "gate", "operator", "alert", "order", "fill", "decision", ...
  std::string actor;         ///< Who produced it.
  std::string payload_json;  ///< A JSON object.
  std::string config_hash = {};  ///< The configuration in force when the decision was made; empty = the log's current one.
};

// -- inspection ---------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, alert& x) {
  return f(caf::meta::type_name("alert"), x.type, x.level, x.fingerprint, x.title, x.detail, x.source, x.resolved,
           x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, latency_sample& x) {
  return f(caf::meta::type_name("latency_sample"), x.endpoint, x.duration_ns, x.ok, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_report& x) {
  return f(caf::meta::type_name("health_report"), x.name, x.parent, x.state, x.restarts, x.last_failure,
           x.last_failure_ts, x.started_ts, x.mailbox_depth, x.unanswered_ms);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, control_command& x) {
  return f(caf::meta::type_name("control_command"), x.request_id, x.name, x.args_json, x.caller_uid);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, control_reply& x) {
  return f(caf::meta::type_name("control_reply"), x.request_id, x.ok, x.result_json, x.error_code,
           x.error_message);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, alert_test& x) {
  return f(caf::meta::type_name("alert_test"), x.by);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, latency_report_request&) {
  return f(caf::meta::type_name("latency_report_request"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, alert_ack& x) {
  return f(caf::meta::type_name("alert_ack"), x.fingerprint, x.by);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, config_runtime& x) {
  return f(caf::meta::type_name("config_runtime"), x.trading_hash, x.live, x.seconds);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, config_changed& x) {
  return f(caf::meta::type_name("config_changed"), x.hash, x.sections);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, audit_entry& x) {
  return f(caf::meta::type_name("audit_entry"), x.kind, x.actor, x.payload_json, x.config_hash);
}

} // namespace trader
