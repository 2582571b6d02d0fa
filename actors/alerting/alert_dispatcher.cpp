#include "actors/alerting/alert_dispatcher.hpp"

namespace trader::alerting {

std::vector<sink_route> routes_of(const std::vector<sink_config>& sinks) {
  std::vector<sink_route> out;
  for (const auto& s : sinks)
    out.push_back(sink_route{s.name, s.min_level, s.escalation_only});
  return out;
}

alert_dispatcher::alert_dispatcher(std::vector<sink_config> sinks, retry_policy policy, alert_transport& transport,
                                   const time_source& clock, log_fn log)
  : queue_(policy, clock), transport_(transport), log_(std::move(log)) {
  for (auto& s : sinks) {
    auto name = s.name;
    sinks_.emplace(std::move(name), std::move(s));
  }
}

void alert_dispatcher::submit(const std::vector<notification>& notifications) {
  for (const auto& n : notifications) {
    auto it = sinks_.find(n.sink);
    if (it == sinks_.end())
      continue;
    const auto& sink = it->second;
    auto req = request_for(sink, n);
    if (!req) {
      if (log_)
        log_(n.a.level, format_text(n, sink.environment));
      continue;
    }
    delivery d;
    d.sink = sink.name;
    d.kind = n.kind;
    d.fingerprint = n.a.fingerprint;
    d.request = std::move(*req);
    if (!queue_.enqueue(std::move(d)) && log_)
      log_(severity::warning, "alert delivery queue full: dead-lettered a notification for sink " + sink.name);
  }
}

std::size_t alert_dispatcher::pump(std::chrono::milliseconds timeout) {
  auto due = queue_.take_due();
  for (auto& d : due) {
    auto r = transport_.post(d.request, timeout);
    auto outcome = classify(r);
    std::string error = r.sent ? "HTTP " + std::to_string(r.status) : r.error;
    if (outcome != delivery_outcome::delivered && log_)
      log_(severity::warning, "alert delivery to " + d.sink + " (" + d.request.display_url + ") failed: " + error);
    queue_.complete(std::move(d), outcome, std::move(error));
  }
  return due.size();
}

} // namespace trader::alerting
