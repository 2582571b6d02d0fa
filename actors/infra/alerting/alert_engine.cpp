#include "actors/infra/alerting/alert_engine.hpp"

#include "runtime/core/names.hpp"

#include <algorithm>

namespace trader::alerting {

std::string_view to_string(notification_kind k) {
  switch (k) {
    case notification_kind::trigger: return "trigger";
    case notification_kind::escalation: return "escalation";
    case notification_kind::acknowledge: return "acknowledge";
    case notification_kind::resolve: return "resolve";
    case notification_kind::test: return "test";
  }
  return "trigger";
}

alert_engine::alert_engine(const alert_type_registry& types, engine_config cfg, const time_source& clock)
  : types_(types), cfg_(std::move(cfg)), clock_(clock) {}

std::string alert_engine::fingerprint_of(const alert& a) {
  return a.fingerprint.empty() ? a.type + ":" + a.source : a.fingerprint;
}

void alert_engine::notify(active_alert& e, notification_kind kind, std::vector<notification>& out,
                          bool include_escalation) {
  auto send_to = [&](const std::string& sink) {
    notification n;
    n.sink = sink;
    n.kind = kind;
    n.a = e.last;
    n.escalation_level = e.escalation_level;
    n.occurrences = e.occurrences;
    n.acknowledged_by = e.acknowledged_by;
    out.push_back(std::move(n));
    if (std::find(e.notified.begin(), e.notified.end(), sink) == e.notified.end())
      e.notified.push_back(sink);
  };
  if (kind == notification_kind::acknowledge || kind == notification_kind::resolve) {
    for (const auto& sink : std::vector<std::string>(e.notified))
      send_to(sink);
    return;
  }
  for (const auto& s : cfg_.sinks) {
    if (s.escalation_only && !include_escalation)
      continue;
    if (!s.escalation_only && e.last.level < s.min_level)
      continue;
    send_to(s.name);
  }
}

std::vector<notification> alert_engine::raise(alert a) {
  std::vector<notification> out;
  auto now = clock_.mono_now();
  if (a.ts == 0)
    a.ts = clock_.wall_now();
  a.fingerprint = fingerprint_of(a);
  auto it = active_.find(a.fingerprint);
  if (a.resolved) {
    if (it == active_.end())
      return out;  // nothing active under that fingerprint: nothing to resolve
    ++stats_.resolved;
    auto& e = it->second;
    auto level = e.last.level;
    e.last = a;
    e.last.level = level;
    if (e.last.title.empty())
      e.last.title = "resolved";
    notify(e, notification_kind::resolve, out, false);
    active_.erase(it);
    return out;
  }
  ++stats_.raised;
  if (!types_.find(a.type))
    ++stats_.unknown_types;
  if (it == active_.end()) {
    active_alert e;
    e.last = a;
    e.first_seen = e.last_seen = e.last_sent = e.last_escalated = now;
    e.occurrences = 1;
    auto& slot = active_.emplace(a.fingerprint, std::move(e)).first->second;
    notify(slot, notification_kind::trigger, out, false);
    evict_if_full();
    return out;
  }
  auto& e = it->second;
  ++e.occurrences;
  e.last_seen = now;
  bool upgraded = a.level > e.last.level;
  auto level = std::max(a.level, e.last.level);
  e.last = a;
  e.last.level = level;
  if (upgraded) {
    // A worse severity is news: send now and re-arm the escalation.
    e.acknowledged = false;
    e.acknowledged_by.clear();
    e.last_sent = e.last_escalated = now;
    notify(e, notification_kind::trigger, out, false);
    return out;
  }
  if (e.acknowledged || now - e.last_sent < cfg_.dedupe_window.count()) {
    ++stats_.deduplicated;
    return out;
  }
  e.last_sent = now;
  notify(e, notification_kind::trigger, out, false);
  return out;
}

std::vector<notification> alert_engine::tick() {
  std::vector<notification> out;
  auto now = clock_.mono_now();
  for (auto& [fp, e] : active_) {
    if (e.acknowledged || e.last.level < cfg_.escalate_min_level || e.escalation_level >= cfg_.max_escalations)
      continue;
    if (now - e.last_escalated < cfg_.escalation_after.count())
      continue;
    ++e.escalation_level;
    if (e.last.level != severity::critical)
      e.last.level = static_cast<severity>(static_cast<int>(e.last.level) + 1);
    ++stats_.escalations;
    e.last_escalated = e.last_sent = now;
    notify(e, notification_kind::escalation, out, true);
  }
  return out;
}

bool alert_engine::acknowledge(const std::string& fingerprint, const std::string& by, std::vector<notification>& out) {
  auto it = active_.find(fingerprint);
  if (it == active_.end())
    return false;
  auto& e = it->second;
  if (e.acknowledged)
    return true;
  e.acknowledged = true;
  e.acknowledged_by = by;
  ++stats_.acknowledged;
  notify(e, notification_kind::acknowledge, out, false);
  return true;
}

std::vector<notification> alert_engine::test(const std::string& requested_by) {
  std::vector<notification> out;
  for (const auto& s : cfg_.sinks) {
    notification n;
    n.sink = s.name;
    n.kind = notification_kind::test;
    n.a.type = "staging_test";
    n.a.level = severity::info;
    n.a.source = names::alerting;
    n.a.title = "Test alert: delivery check for sink " + s.name;
    n.a.detail = "Requested by " + requested_by + " with traderctl alert test. No action needed.";
    n.a.ts = clock_.wall_now();
    n.a.fingerprint = "staging_test:" + s.name;
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<active_alert> alert_engine::active() const {
  std::vector<active_alert> out;
  for (const auto& [fp, e] : active_)
    out.push_back(e);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first_seen < b.first_seen; });
  return out;
}

void alert_engine::evict_if_full() {
  while (active_.size() > cfg_.max_active) {
    auto oldest = std::min_element(active_.begin(), active_.end(),
                                   [](const auto& a, const auto& b) { return a.second.last_seen < b.second.last_seen; });
    active_.erase(oldest);
  }
}

} // namespace trader::alerting
