#include "actors/infra/alerting/alerting_stats.hpp"

#include "messages/names.hpp"

namespace trader::alerting {

namespace {

/// Type ids are registered by actors: a bounded set, capped anyway.
constexpr std::size_t max_type_series = 64;
constexpr std::size_t max_sinks = 16;

std::vector<std::string> type_ids() {
  std::vector<std::string> out;
  for (const auto& t : builtin_alert_types())
    out.push_back(t.id);
  return out;
}

} // namespace

alerting_stats::alerting_stats(const metrics::actor_metrics& m)
  : alerts(m.counters("alerts_total", "Alerts raised, before dedupe.",
                      {{"type", {}}, {"severity", {"info", "warning", "critical"}}}, max_type_series)),
    deduplicated(m.counter("deduplicated_total", "Alerts suppressed by the dedupe window or an acknowledgement.")),
    escalations(m.counter("escalations_total", "Escalations of unacknowledged alerts.")),
    deliveries(m.counters("deliveries_total", "Delivery attempts by sink and result.",
                          {{"sink", {}}, {"result", {"delivered", "retry", "dead_letter"}}}, 3 * max_sinks + 1)),
    dead_letters(m.counters("dead_letters_total", "Notifications given up on after every retry.", {{"sink", {}}},
                            max_sinks)),
    active_alerts(m.gauge("active_alerts", "Alerts raised and not resolved.")),
    queue_depth(m.gauge("queue_depth", "Deliveries waiting to be attempted.")),
    secret_age(m.gauges("secret_age_seconds", "Age of each API key (rotation: warning 80 d, critical > 90 d).",
                        {{"secret", {}}}, 8)) {
  // Pre-create the builtin types so dashboards show zeros rather than gaps.
  for (const auto& id : type_ids())
    alerts.at({id, "critical"});
}

void alerting_stats::raised(const alert& a) {
  if (!a.resolved)
    alerts.at({a.type, to_string(a.level)}).Increment();
}

void alerting_stats::attempt(const std::string& sink, std::string_view result) {
  deliveries.at({sink, result}).Increment();
  if (result == "dead_letter")
    dead_letters[sink].Increment();
}

void alerting_stats::sync(const alert_engine& engine, const delivery_queue& queue) {
  const auto& now = engine.stats();
  deduplicated.Increment(static_cast<double>(now.deduplicated - last_.deduplicated));
  escalations.Increment(static_cast<double>(now.escalations - last_.escalations));
  last_ = now;
  active_alerts.Set(static_cast<double>(engine.active().size()));
  queue_depth.Set(static_cast<double>(queue.pending()));
}

} // namespace trader::alerting
