#include "actors/infra/alerting/alert_dispatcher.hpp"

namespace trader::alerting {

std::vector<sink_route> routes_of(const std::vector<sink_config>& sinks) {
  std::vector<sink_route> out;
  out.reserve(sinks.size());
  for (const auto& s : sinks)
    out.push_back(sink_route{s.name, s.min_level, s.escalation_only});
  return out;
}

alert_dispatcher::alert_dispatcher(std::vector<sink_config> sinks, const retry_policy& policy, alert_transport& transport,
                                   const time_source& clock, log_fn log, attempt_fn on_attempt)
  : queue_(policy, clock), transport_(transport), log_(std::move(log)), on_attempt_(std::move(on_attempt)) {
  set_sinks(std::move(sinks));
}

void alert_dispatcher::set_sinks(std::vector<sink_config> sinks) {
  std::map<std::string, sink_config> next;
  for (auto& s : sinks) {
    auto name = s.name;
    next.emplace(std::move(name), std::move(s));
  }
  std::lock_guard<std::mutex> lock(sinks_mtx_);
  sinks_ = std::move(next);
}

void alert_dispatcher::submit(const std::vector<notification>& notifications) {
  for (const auto& n : notifications) {
    sink_config sink;
    {
      std::lock_guard<std::mutex> lock(sinks_mtx_);
      auto it = sinks_.find(n.sink);
      if (it == sinks_.end())
        continue;
      sink = it->second;
    }
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
    if (!queue_.enqueue(std::move(d))) {
      if (on_attempt_)
        on_attempt_(sink.name, "dead_letter");
      if (log_)
        log_(severity::warning, "alert delivery queue full: dead-lettered a notification for sink " + sink.name);
    }
  }
}

std::size_t alert_dispatcher::pump(std::chrono::milliseconds timeout) {
  auto due = queue_.take_due();
  for (auto& d : due) {
    auto sink_timeout = timeout;
    {
      std::lock_guard<std::mutex> lock(sinks_mtx_);
      if (auto it = sinks_.find(d.sink); it != sinks_.end() && it->second.timeout.count() > 0)
        sink_timeout = it->second.timeout;
    }
    auto r = transport_.post(d.request, sink_timeout);
    auto outcome = classify(r);
    std::string error = r.sent ? "HTTP " + std::to_string(r.status) : r.error;
    if (outcome != delivery_outcome::delivered && log_)
      log_(severity::warning, "alert delivery to " + d.sink + " (" + d.request.display_url + ") failed: " + error);
    auto sink = d.sink;
    auto fate = queue_.complete(std::move(d), outcome, std::move(error));
    if (on_attempt_) {
      switch (fate) {
        case delivery_queue::fate::delivered: on_attempt_(sink, "delivered"); break;
        case delivery_queue::fate::retry_scheduled: on_attempt_(sink, "retry"); break;
        case delivery_queue::fate::dead_lettered: on_attempt_(sink, "dead_letter"); break;
      }
    }
  }
  return due.size();
}

} // namespace trader::alerting
