#include "actors/exchange/rate_limiter/rate_limiter_stats.hpp"

namespace trader::rate_limiter {

namespace {

const std::vector<metrics::label_spec> bucket_label{{"bucket", {"public", "private", "ws"}}};

std::vector<metrics::label_spec> endpoint_label() { return {{"endpoint", {}}}; }

void add(prometheus::Counter& c, std::uint64_t now, std::uint64_t before) {
  if (now > before)
    c.Increment(static_cast<double>(now - before));
}

} // namespace

rate_limiter_stats::rate_limiter_stats(const metrics::actor_metrics& m, std::size_t max_endpoints)
  : tokens(m.gauges("tokens", "Tokens left in the group's short bucket.", bucket_label, 4)),
    rate(m.gauges("rate_per_second", "Refill rate in force (configured, tightened after a 429).", bucket_label, 4)),
    window_use(m.gauges("window_use_ratio", "Calls in the last window over the window's budget.", bucket_label, 4)),
    queued(m.gauges("queued", "Calls waiting for a permit.", bucket_label, 4)),
    requests(m.counters("requests_total", "Permits asked for, by endpoint.", endpoint_label(), max_endpoints + 1)),
    throttled(m.counters("throttled_total", "Permits granted after waiting for a token.", endpoint_label(),
                         max_endpoints + 1)),
    held(m.counters("held_total", "Permits refused busy (data held at the hold threshold, pause, full queue).",
                    endpoint_label(), max_endpoints + 1)),
    timeouts(m.counters("timeouts_total", "Permits not granted within max_wait_ms.", endpoint_label(),
                        max_endpoints + 1)),
    rate_limited(m.counters("rate_limited_total", "HTTP 429 answers reported by the endpoint actors.",
                            endpoint_label(), max_endpoints + 1)),
    wait_seconds(m.counters("wait_seconds_total", "Time calls spent queued for a permit.", endpoint_label(),
                            max_endpoints + 1)),
    api_errors(m.counters("api_errors_total", "Exchange API errors (no answer, 5xx, 429, 401/403) by endpoint.",
                          endpoint_label(), max_endpoints + 1)),
    consecutive_errors(m.gauges("consecutive_errors", "API errors in a row on the endpoint; 0 after a success.",
                                endpoint_label(), max_endpoints + 1)) {}

void rate_limiter_stats::sync(rate_limit::limiter& l, std::int64_t now_ns) {
  for (auto g : {endpoint_group::public_rest, endpoint_group::private_rest, endpoint_group::ws_connect}) {
    auto v = l.view(g, now_ns);
    auto name = rate_limit::to_string(g);
    tokens[name].Set(v.tokens);
    rate[name].Set(v.rate_per_s);
    window_use[name].Set(v.use);
    queued[name].Set(static_cast<double>(v.queued));
  }
  for (const auto& [ep, now] : l.endpoints()) {
    auto& before = last_[ep];
    add(requests[ep], now.requests, before.requests);
    add(throttled[ep], now.throttled, before.throttled);
    add(held[ep], now.held, before.held);
    add(timeouts[ep], now.timeouts, before.timeouts);
    add(rate_limited[ep], now.rate_limited, before.rate_limited);
    if (now.wait_ns_total > before.wait_ns_total)
      wait_seconds[ep].Increment(static_cast<double>(now.wait_ns_total - before.wait_ns_total) / 1e9);
    before = now;
  }
}

} // namespace trader::rate_limiter
