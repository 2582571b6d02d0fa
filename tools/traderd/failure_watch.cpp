#include "tools/traderd/failure_watch.hpp"

namespace trader::daemon {

namespace {

alert make(std::string type, std::string fingerprint, std::string title, std::string detail, bool resolved, ts_ns now) {
  alert a;
  a.type = std::move(type);
  a.level = severity::critical;
  a.fingerprint = std::move(fingerprint);
  a.title = std::move(title);
  a.detail = std::move(detail);
  a.source = "traderd";
  a.resolved = resolved;
  a.ts = now;
  return a;
}

} // namespace

bool is_exception_exit(const std::string& reason) {
  return reason.find("runtime_error") != std::string::npos || reason.find("exception") != std::string::npos;
}

void failure_watch::prune(std::deque<ts_ns>& q, ts_ns now) const {
  while (!q.empty() && now - q.front() >= opts_.window_ns)
    q.pop_front();
}

std::vector<alert> failure_watch::observe(const std::vector<health_report>& rows, ts_ns now) {
  std::vector<alert> out;
  for (auto& r : rows) {
    auto& t = actors_[r.name];
    if (primed_) {
      for (auto i = t.restarts_seen; i < r.restarts; ++i)
        t.restarts.push_back(now);
      if (r.last_failure_ts > t.failure_seen && is_exception_exit(r.last_failure)) {
        exceptions_.push_back(now);
        last_exception_ = r.name + ": " + r.last_failure;
      }
    }
    t.restarts_seen = r.restarts;
    t.failure_seen = r.last_failure_ts;
    prune(t.restarts, now);
    bool storm = static_cast<int>(t.restarts.size()) >= opts_.storm_restarts;
    if (storm != t.storm) {
      t.storm = storm;
      auto window_min = std::to_string(opts_.window_ns / 60'000'000'000);
      out.push_back(make("actor_restart_storm", "actor_restart_storm:" + r.name,
                         storm ? "actor " + r.name + " restarted " + std::to_string(t.restarts.size()) + " times in " +
                                   window_min + " min"
                               : "actor " + r.name + " restart storm over",
                         storm ? "its supervisor nears its restart intensity; last failure: " + r.last_failure
                               : "fewer than " + std::to_string(opts_.storm_restarts) + " restarts in " + window_min +
                                   " min",
                         !storm, now));
    }
  }
  primed_ = true;
  prune(exceptions_, now);
  bool burst = static_cast<int>(exceptions_.size()) >= opts_.exception_failures;
  if (burst != exception_burst_) {
    exception_burst_ = burst;
    out.push_back(make("exception_burst", "exception_burst",
                       burst ? std::to_string(exceptions_.size()) + " actors died of exceptions in 10 min"
                             : "exception burst over",
                       burst ? "last: " + last_exception_ : "no more exception exits in the window", !burst, now));
  }
  return out;
}

} // namespace trader::daemon
