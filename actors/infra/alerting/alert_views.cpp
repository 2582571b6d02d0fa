#include "actors/infra/alerting/alert_views.hpp"

namespace trader::alerting {

nlohmann::json to_json(const active_alert& a) {
  return {{"fingerprint", a.last.fingerprint},
          {"type", a.last.type},
          {"severity", severity_label(a.last.level)},
          {"title", a.last.title},
          {"detail", a.last.detail},
          {"source", a.last.source},
          {"last_seen", format_rfc3339_ms(a.last.ts)},
          {"age_s", static_cast<double>(a.last_seen - a.first_seen) / 1e9},
          {"occurrences", a.occurrences},
          {"escalation_level", a.escalation_level},
          {"acknowledged", a.acknowledged},
          {"acknowledged_by", a.acknowledged_by}};
}

nlohmann::json status_json(const alert_engine& engine, const delivery_queue& queue) {
  auto active = nlohmann::json::array();
  for (const auto& a : engine.active())
    active.push_back(to_json(a));
  const auto& s = engine.stats();
  auto d = queue.stats();
  return {{"active", std::move(active)},
          {"stats",
           {{"raised", s.raised},
            {"deduplicated", s.deduplicated},
            {"escalations", s.escalations},
            {"acknowledged", s.acknowledged},
            {"resolved", s.resolved},
            {"unknown_types", s.unknown_types}}},
          {"delivery",
           {{"delivered", d.delivered}, {"retries", d.retries}, {"dead_letters", d.dead_letters},
            {"pending", queue.pending()}}}};
}

} // namespace trader::alerting
