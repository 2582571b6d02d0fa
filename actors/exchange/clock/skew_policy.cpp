#include "actors/exchange/clock/skew_policy.hpp"

#include <cstdio>
#include <cstdlib>

namespace trader::clock {

namespace {

std::string ms(std::int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(ns) / 1e6);
  return buf;
}

} // namespace

std::optional<skew_estimate> estimate(const time_probe& p) {
  if (p.local_recv_ns < p.local_send_ns || p.server_ns <= 0)
    return std::nullopt;
  skew_estimate e;
  e.rtt_ns = p.local_recv_ns - p.local_send_ns;
  e.offset_ns = p.server_ns - (p.local_send_ns + e.rtt_ns / 2);
  e.uncertainty_ns = e.rtt_ns / 2 + p.server_resolution_ns;
  return e;
}

std::optional<skew_estimate> best_estimate(const std::vector<time_probe>& probes) {
  std::optional<skew_estimate> best;
  for (const auto& p : probes) {
    auto e = estimate(p);
    if (e && (!best || e->rtt_ns < best->rtt_ns))
      best = e;
  }
  return best;
}

skew_verdict evaluate(const std::vector<time_probe>& probes, const skew_policy& policy) {
  skew_verdict v;
  v.estimate = best_estimate(probes);
  if (!v.estimate) {
    v.status = skew_status::unreliable;
    v.reason = "CLOCK_SKEW: no valid time probe";
    return v;
  }
  const auto& e = *v.estimate;
  auto detail = "offset_ms=" + ms(e.offset_ns) + " limit_ms=" + ms(policy.max_skew_ns) + " rtt_ms=" + ms(e.rtt_ns);
  if (e.rtt_ns > policy.max_rtt_ns) {
    v.status = skew_status::unreliable;
    v.reason = "CLOCK_SKEW: probe too slow to judge, " + detail;
    return v;
  }
  if (std::llabs(e.offset_ns) > policy.max_skew_ns) {
    v.status = skew_status::exceeded;
    v.reason = "CLOCK_SKEW: " + detail;
    return v;
  }
  v.status = skew_status::ok;
  v.reason = "CLOCK_SKEW ok: " + detail;
  return v;
}

} // namespace trader::clock
