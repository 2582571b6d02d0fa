#pragma once
// The rate limiter's decisions, without CAF: per endpoint group a token bucket (and an
// optional hourly one), three priority queues (cancel > order > data), a cancel-only reserve,
// window-use thresholds (warn at 80 %, data held at 90 %), and 429 handling (pause until the
// retry hint, then a tightened rate that recovers step-wise after a quiet period). Time is an
// argument (monotonic ns); the caller asks next_wake() when to poll() again.

#include "actors/exchange/rate_limiter/rate_limit_options.hpp"
#include "actors/exchange/rate_limiter/token_bucket.hpp"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::rate_limit {

/// Counters of one endpoint (bounded set of names; see options::max_endpoints).
struct endpoint_stats {
  std::uint64_t requests = 0;      ///< Permits asked for.
  std::uint64_t granted = 0;
  std::uint64_t throttled = 0;     ///< Granted after waiting for a token.
  std::uint64_t held = 0;          ///< Refused busy (data call at ≥ hold_at, paused, queue full).
  std::uint64_t timeouts = 0;      ///< Not granted within max_wait.
  std::uint64_t rate_limited = 0;  ///< 429 answers reported.
  std::uint64_t errors = 0;        ///< 5xx and transport failures reported.
  std::int64_t wait_ns_total = 0;
  std::int64_t wait_ns_max = 0;
};

/// Something an operator or a dashboard should know.
enum class event_kind {
  warn,          ///< Window use reached warn_at.
  warn_cleared,  ///< Window use fell below half of warn_at.
  paused,        ///< A 429: the group is paused and its rate tightened.
  recovering,    ///< A quiet period passed: the rate stepped back up (not yet full).
  restored,      ///< The rate is back to its configured value.
};

struct limiter_event {
  event_kind kind = event_kind::warn;
  endpoint_group group = endpoint_group::private_rest;
  double use = 0;               ///< Window use when it happened.
  double rate_factor = 1;       ///< Share of the configured rate in force afterwards.
  std::int64_t until_ns = 0;    ///< paused: end of the pause.
  std::string detail;           ///< e.g. "RATE_LIMIT_WARN: group=private use_pct=83.3 ..."
};

/// A permit handed out by poll().
struct grant {
  std::uint64_t id = 0;
  std::int64_t waited_ns = 0;
};

struct poll_result {
  std::vector<grant> granted;
  std::vector<std::uint64_t> timed_out;
};

/// admit(): queued (poll() decides) or refused at once.
struct admit_result {
  bool queued = false;
  std::string reason;  ///< Why refused, e.g. "RATE_LIMIT_HOLD: group=private use_pct=93.3 ...".
};

/// A group's state for metrics and tests.
struct group_view {
  double tokens = 0;         ///< Short bucket.
  double hour_tokens = -1;   ///< Hourly bucket; -1 = none.
  double rate_per_s = 0;     ///< Refill in force (configured × rate_factor).
  double rate_factor = 1;
  double use = 0;            ///< Window use, 0..(>1 after tightening).
  bool paused = false;
  std::int64_t paused_until = 0;
  std::size_t queued = 0;
  bool warned = false;
};

class limiter {
public:
  limiter(const options& o, std::int64_t now_ns);

  /// A call asks for a permit. Refused (busy) when it is a data call and the group is paused
  /// or at ≥ hold_at, or when the queue is full; otherwise queued until poll() grants it or
  /// max_wait_ns passes.
  admit_result admit(std::uint64_t id, endpoint_group g, call_priority p, const std::string& endpoint,
                     std::int64_t max_wait_ns, std::int64_t now_ns);
  /// Grants what the buckets allow (strict priority per group) and times out the rest.
  poll_result poll(std::int64_t now_ns);
  /// When poll() may have something to do next (absolute ns); nullopt when nothing waits.
  std::optional<std::int64_t> next_wake(std::int64_t now_ns);
  /// What came of a call: 429 pauses and tightens the group; 5xx/0 are counted.
  void outcome(endpoint_group g, const std::string& endpoint, int http_status, std::int64_t retry_after_ms,
               std::int64_t now_ns);
  /// Events since the last call.
  std::vector<limiter_event> take_events();

  group_view view(endpoint_group g, std::int64_t now_ns);
  /// Per endpoint counters, by bounded endpoint name.
  const std::map<std::string, endpoint_stats>& endpoints() const { return endpoints_; }
  /// The bounded name an endpoint is counted under ("other" past max_endpoints).
  std::string endpoint_key(const std::string& endpoint);
  const options& opts() const { return opts_; }

private:
  struct waiting {
    std::uint64_t id;
    std::string endpoint;
    std::int64_t enqueued_ns;
    std::int64_t deadline_ns;
  };
  struct group_state {
    endpoint_group id;
    group_options cfg;
    token_bucket bucket;
    std::optional<token_bucket> hour;
    std::array<std::deque<waiting>, 3> queues;  ///< By call_priority.
    std::deque<std::int64_t> recent;            ///< Grant times inside the window.
    std::int64_t paused_until = 0;
    double factor = 1;
    std::int64_t last_change_ns = 0;
    bool warned = false;
  };
  static group_state make_group(endpoint_group g, const group_options& cfg, std::int64_t now_ns);
  group_state& state(endpoint_group g) { return groups_[static_cast<std::size_t>(g)]; }
  void maintain(group_state& s, std::int64_t now_ns);
  double use(group_state& s, std::int64_t now_ns);
  std::int64_t need(const group_state& s, call_priority p, bool hourly) const;
  void grant_ready(group_state& s, std::int64_t now_ns, poll_result& out);
  void check_warn(group_state& s, std::int64_t now_ns);
  std::size_t queued(const group_state& s) const;

  options opts_;
  std::array<group_state, 3> groups_;
  std::map<std::string, endpoint_stats> endpoints_;
  std::vector<limiter_event> events_;
};

} // namespace trader::rate_limit
