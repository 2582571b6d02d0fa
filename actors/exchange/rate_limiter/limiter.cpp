#include "actors/exchange/rate_limiter/limiter.hpp"

#include <algorithm>
#include <cstdio>

namespace trader::rate_limit {

namespace {

constexpr std::int64_t ns_per_ms = 1'000'000;
constexpr call_priority priorities[] = {call_priority::cancel, call_priority::order, call_priority::data};

std::optional<token_bucket> hourly(const group_options& g, std::int64_t now_ns) {
  if (g.per_hour <= 0)
    return std::nullopt;
  // Capacity f·N plus refill (1−f)·N per hour: no hour-long window ever sees more than N.
  return token_bucket(g.per_hour * (1 - g.hour_burst_fraction) / 3600.0, g.per_hour * g.hour_burst_fraction, now_ns);
}

std::string pct(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x * 100);
  return buf;
}

} // namespace

limiter::group_state limiter::make_group(endpoint_group g, const group_options& cfg, std::int64_t now_ns) {
  return group_state{g, cfg, token_bucket(cfg.rate_per_s, cfg.burst, now_ns), hourly(cfg, now_ns), {}, {}};
}

limiter::limiter(const options& o, std::int64_t now_ns)
  : opts_(o),
    groups_{make_group(endpoint_group::public_rest, opts_.public_rest, now_ns),
            make_group(endpoint_group::private_rest, opts_.private_rest, now_ns),
            make_group(endpoint_group::ws_connect, opts_.ws_connect, now_ns)} {}

std::string limiter::endpoint_key(const std::string& endpoint) {
  auto name = endpoint.empty() ? std::string("unknown") : endpoint;
  if (endpoints_.count(name) || endpoints_.size() < opts_.max_endpoints)
    return name;
  return "other";
}

std::size_t limiter::queued(const group_state& s) const {
  std::size_t n = 0;
  for (auto& q : s.queues)
    n += q.size();
  return n;
}

double limiter::use(group_state& s, std::int64_t now_ns) {
  while (!s.recent.empty() && s.recent.front() <= now_ns - opts_.window_ns)
    s.recent.pop_front();
  // The most a window can hold at the rate in force: the burst plus one window of refill.
  double window_s = static_cast<double>(opts_.window_ns) / 1e9;
  double budget = s.cfg.burst + s.cfg.rate_per_s * s.factor * window_s;
  double u = static_cast<double>(s.recent.size()) / budget;
  if (s.hour) {
    auto cap = static_cast<double>(s.hour->capacity());
    u = std::max(u, 1.0 - static_cast<double>(s.hour->available(now_ns)) / cap);
  }
  return u;
}

std::int64_t limiter::need(const group_state& s, call_priority p, bool hourly_bucket) const {
  auto& b = hourly_bucket ? *s.hour : s.bucket;
  if (p == call_priority::cancel)
    return micro;
  // Orders and data leave the reserve for cancels (never more than a full bucket).
  auto reserve = static_cast<std::int64_t>(static_cast<double>(b.capacity()) * opts_.cancel_reserve_fraction);
  return std::min(b.capacity(), micro + reserve);
}

void limiter::maintain(group_state& s, std::int64_t now_ns) {
  if (s.factor >= 1 || now_ns < s.paused_until)
    return;
  auto step_ns = opts_.recover_after_ms * ns_per_ms;
  bool stepped = false;
  while (s.factor < 1 && now_ns - s.last_change_ns >= step_ns) {
    s.factor = std::min(1.0, s.factor + opts_.recover_step);
    s.last_change_ns += step_ns;
    stepped = true;
  }
  if (!stepped)
    return;
  s.bucket.set_rate(s.cfg.rate_per_s * s.factor, now_ns);
  auto kind = s.factor >= 1 ? event_kind::restored : event_kind::recovering;
  events_.push_back({kind, s.id, use(s, now_ns), s.factor, 0,
                     std::string(kind == event_kind::restored ? "RATE_LIMIT_RESTORED" : "RATE_LIMIT_RECOVERING")
                       + ": group=" + std::string(to_string(s.id)) + " rate_pct=" + pct(s.factor)});
}

void limiter::check_warn(group_state& s, std::int64_t now_ns) {
  auto u = use(s, now_ns);
  if (!s.warned && u >= opts_.warn_at) {
    s.warned = true;
    events_.push_back({event_kind::warn, s.id, u, s.factor, 0,
                       "RATE_LIMIT_WARN: group=" + std::string(to_string(s.id)) + " use_pct=" + pct(u)
                         + " warn_pct=" + pct(opts_.warn_at) + " hold_pct=" + pct(opts_.hold_at)});
  } else if (s.warned && u < opts_.warn_at / 2) {
    s.warned = false;  // hysteresis: one warning per busy spell, not one per call
    events_.push_back({event_kind::warn_cleared, s.id, u, s.factor, 0,
                       "RATE_LIMIT_OK: group=" + std::string(to_string(s.id)) + " use_pct=" + pct(u)});
  }
}

admit_result limiter::admit(std::uint64_t id, endpoint_group g, call_priority p, const std::string& endpoint,
                            std::int64_t max_wait_ns, std::int64_t now_ns) {
  auto& s = state(g);
  auto key = endpoint_key(endpoint);
  auto& st = endpoints_[key];
  ++st.requests;
  maintain(s, now_ns);
  auto refuse = [&](std::string why) {
    ++st.held;
    return admit_result{false, std::move(why)};
  };
  auto group = std::string(to_string(g));
  if (queued(s) >= opts_.max_queue)
    return refuse("RATE_LIMIT_QUEUE_FULL: group=" + group + " queued=" + std::to_string(queued(s)));
  if (p == call_priority::data) {
    if (now_ns < s.paused_until)
      return refuse("RATE_LIMIT_PAUSED: group=" + group + " after 429, resumes_in_ms="
                    + std::to_string((s.paused_until - now_ns + ns_per_ms - 1) / ns_per_ms));
    auto u = use(s, now_ns);
    if (u >= opts_.hold_at)
      return refuse("RATE_LIMIT_HOLD: group=" + group + " use_pct=" + pct(u) + " hold_pct=" + pct(opts_.hold_at)
                    + " endpoint=" + key);
  }
  s.queues[static_cast<std::size_t>(p)].push_back(waiting{id, key, now_ns, now_ns + std::max<std::int64_t>(0, max_wait_ns)});
  return admit_result{true, {}};
}

void limiter::grant_ready(group_state& s, std::int64_t now_ns, poll_result& out) {
  if (now_ns < s.paused_until)
    return;
  for (;;) {
    auto* q = static_cast<std::deque<waiting>*>(nullptr);
    call_priority p = call_priority::data;
    for (auto candidate : priorities) {
      auto& cq = s.queues[static_cast<std::size_t>(candidate)];
      if (!cq.empty()) {
        q = &cq;
        p = candidate;
        break;
      }
    }
    if (!q)
      return;
    // Strict priority: while the head of a higher class waits, lower ones wait too.
    if (p == call_priority::data && use(s, now_ns) >= opts_.hold_at)
      return;
    auto n = need(s, p, false);
    if (s.bucket.available(now_ns) < n)
      return;
    if (s.hour && s.hour->available(now_ns) < need(s, p, true))
      return;
    s.bucket.try_take(now_ns, micro, n);
    if (s.hour)
      s.hour->try_take(now_ns, micro, micro);
    auto w = std::move(q->front());
    q->pop_front();
    s.recent.push_back(now_ns);
    auto waited = now_ns - w.enqueued_ns;
    auto& st = endpoints_[w.endpoint];
    ++st.granted;
    if (waited > 0)
      ++st.throttled;
    st.wait_ns_total += waited;
    st.wait_ns_max = std::max(st.wait_ns_max, waited);
    out.granted.push_back(grant{w.id, waited});
  }
}

poll_result limiter::poll(std::int64_t now_ns) {
  poll_result out;
  for (auto& s : groups_) {
    maintain(s, now_ns);
    grant_ready(s, now_ns, out);
    for (auto& q : s.queues) {
      for (auto it = q.begin(); it != q.end();) {
        if (it->deadline_ns <= now_ns) {
          ++endpoints_[it->endpoint].timeouts;
          out.timed_out.push_back(it->id);
          it = q.erase(it);
        } else {
          ++it;
        }
      }
    }
    check_warn(s, now_ns);
  }
  return out;
}

std::optional<std::int64_t> limiter::next_wake(std::int64_t now_ns) {
  std::optional<std::int64_t> best;
  auto consider = [&](std::int64_t t) { best = best ? std::min(*best, t) : t; };
  for (auto& s : groups_) {
    if (queued(s) == 0) {
      // Nothing waits; only a pending warn_cleared needs the window to pass.
      if (s.warned && !s.recent.empty())
        consider(s.recent.back() + opts_.window_ns);
      continue;
    }
    for (auto& q : s.queues)
      for (auto& w : q)
        consider(w.deadline_ns);
    if (now_ns < s.paused_until) {
      consider(s.paused_until);
      continue;
    }
    for (auto p : priorities) {
      if (s.queues[static_cast<std::size_t>(p)].empty())
        continue;
      if (p == call_priority::data && use(s, now_ns) >= opts_.hold_at) {
        // Held until grants age out of the window (or the hourly bucket refills a little).
        consider(s.recent.empty() ? now_ns + opts_.window_ns / 10 : s.recent.front() + opts_.window_ns);
        break;
      }
      auto wait = s.bucket.time_until(now_ns, need(s, p, false));
      if (s.hour)
        wait = std::max(wait, s.hour->time_until(now_ns, need(s, p, true)));
      consider(now_ns + wait);
      break;
    }
  }
  if (best && *best <= now_ns)
    best = now_ns;
  return best;
}

void limiter::outcome(endpoint_group g, const std::string& endpoint, int http_status, std::int64_t retry_after_ms,
                      std::int64_t now_ns) {
  auto& st = endpoints_[endpoint_key(endpoint)];
  if (http_status == 0 || http_status >= 500)
    ++st.errors;
  if (http_status != 429)
    return;
  ++st.rate_limited;
  auto& s = state(g);
  auto pause_ms = retry_after_ms >= 0 ? std::min(retry_after_ms, opts_.max_retry_after_ms) : opts_.default_retry_after_ms;
  auto until = now_ns + pause_ms * ns_per_ms;
  bool episode = now_ns < s.paused_until;
  s.paused_until = std::max(s.paused_until, until);
  s.last_change_ns = now_ns;
  if (episode)
    return;  // 429s of calls already in flight: one tightening per episode
  s.factor = std::max(opts_.min_rate_factor, s.factor * opts_.tighten_factor);
  s.bucket.set_rate(s.cfg.rate_per_s * s.factor, now_ns);
  s.bucket.drain(now_ns);
  events_.push_back({event_kind::paused, g, use(s, now_ns), s.factor, s.paused_until,
                     "RATE_LIMIT_429: group=" + std::string(to_string(g)) + " endpoint=" + endpoint_key(endpoint)
                       + " pause_ms=" + std::to_string(pause_ms) + " rate_pct=" + pct(s.factor)});
}

std::vector<limiter_event> limiter::take_events() {
  std::vector<limiter_event> out;
  out.swap(events_);
  return out;
}

group_view limiter::view(endpoint_group g, std::int64_t now_ns) {
  auto& s = state(g);
  maintain(s, now_ns);
  group_view v;
  v.tokens = static_cast<double>(s.bucket.available(now_ns)) / micro;
  if (s.hour)
    v.hour_tokens = static_cast<double>(s.hour->available(now_ns)) / micro;
  v.rate_factor = s.factor;
  v.rate_per_s = s.cfg.rate_per_s * s.factor;
  v.use = use(s, now_ns);
  v.paused = now_ns < s.paused_until;
  v.paused_until = s.paused_until;
  v.queued = queued(s);
  v.warned = s.warned;
  return v;
}

} // namespace trader::rate_limit
