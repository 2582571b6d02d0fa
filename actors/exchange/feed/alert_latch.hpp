#pragma once
// Pages only for a condition that stays: an alert fires when a condition (a sequence gap, a
// user-stream gap) is still active `after` its start, and resolves when it clears. A
// reconnect's momentary gap, repaired by the next snapshot within seconds, pages nobody;
// the gate reason is raised at once regardless. Pure; the actor checks back with a
// delayed message carrying generation(). No CAF.

#include "messages/ops.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <string>

namespace trader::feed {

struct latch_action {
  bool fire = false;     ///< send the alert now
  bool resolve = false;  ///< send its resolve now
};

class alert_latch {
public:
  explicit alert_latch(std::int64_t after_ns) : after_(after_ns) {}

  /// The condition is (in)active as of now. Returns resolve when it cleared after firing.
  latch_action set(bool active, ts_ns now) {
    if (active == active_)
      return {};
    active_ = active;
    ++gen_;
    if (active) {
      since_ = now;
      return {};
    }
    bool fired = fired_;
    fired_ = false;
    return {false, fired};
  }

  /// The check-back scheduled `after` a set(true): fire when it is the same episode, still
  /// active and not yet fired.
  latch_action check(std::uint64_t generation, ts_ns now) {
    if (generation != gen_ || !active_ || fired_ || now - since_ < after_)
      return {};
    fired_ = true;
    return {true, false};
  }

  std::uint64_t generation() const { return gen_; }
  std::int64_t after_ns() const { return after_; }
  bool active() const { return active_; }

private:
  std::int64_t after_;
  bool active_ = false;
  bool fired_ = false;
  ts_ns since_ = 0;
  std::uint64_t gen_ = 0;
};

/// The sequence_gap alert of `source` ("market_data", "user_stream"), firing or resolved.
inline alert sequence_gap_alert(const std::string& source, const std::string& detail, bool resolved, ts_ns now) {
  alert a;
  a.type = "sequence_gap";
  a.level = severity::critical;
  a.fingerprint = "sequence_gap:" + source;
  a.title = resolved ? source + ": sequence gap resolved" : source + ": sequence gap unresolved";
  a.detail = detail;
  a.source = source;
  a.resolved = resolved;
  a.ts = now;
  return a;
}

} // namespace trader::feed
