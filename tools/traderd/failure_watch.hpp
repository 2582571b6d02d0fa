#pragma once
// The alert sources that watch the supervision tree as a whole: an actor restarted
// repeatedly (actor_restart_storm) and actors dying of exceptions (exception_burst). traderd
// feeds it the health board once a main-loop pass; it returns the alerts to raise or
// resolve. Pure: no CAF, no clock of its own.

#include "messages/ops.hpp"

#include <deque>
#include <map>
#include <string>
#include <vector>

namespace trader::daemon {

class failure_watch {
public:
  struct options {
    int storm_restarts = 3;            ///< restarts of one actor within window: a storm
    int exception_failures = 3;        ///< exception exits (all actors) within window: a burst
    std::int64_t window_ns = 600'000'000'000;  ///< 10 min, like the TraderActorRestartStorm rule
  };
  failure_watch() : failure_watch(options{}) {}
  explicit failure_watch(options o) : opts_(o) {}

  /// The tree as of now; returns alerts to send (firing or resolved).
  std::vector<alert> observe(const std::vector<health_report>& rows, ts_ns now);

private:
  struct actor_track {
    std::int64_t restarts_seen = 0;
    ts_ns failure_seen = 0;
    std::deque<ts_ns> restarts;
    bool storm = false;
  };
  void prune(std::deque<ts_ns>& q, ts_ns now) const;
  options opts_;
  bool primed_ = false;
  std::map<std::string, actor_track> actors_;
  std::deque<ts_ns> exceptions_;
  std::string last_exception_;
  bool exception_burst_ = false;
};

/// True when an exit reason says the actor died of an exception (CAF 0.17: sec::runtime_error).
bool is_exception_exit(const std::string& reason);

} // namespace trader::daemon
