#pragma once
// Clock-sync check: local clock vs exchange server time, measured NTP-style with the
// round trip's midpoint (RTT/2 correction), judged against a limit (150 ms): above it LIVE
// refuses to start and a clock_skew alert fires. Pure functions. No CAF.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trader::clock {

/// One round trip to the exchange's time endpoint, all wall-clock ns.
struct time_probe {
  std::int64_t local_send_ns = 0;    ///< Local wall time when the request left.
  std::int64_t server_ns = 0;        ///< The exchange's time in the response.
  std::int64_t local_recv_ns = 0;    ///< Local wall time when the response arrived.
  std::int64_t server_resolution_ns = 1'000'000;  ///< Granularity of server_ns (Coinbase: 1 ms).
};

/// What one or more probes say about our clock.
struct skew_estimate {
  std::int64_t offset_ns = 0;       ///< server − local at the same instant; > 0: we are behind.
  std::int64_t rtt_ns = 0;          ///< Round trip of the probe used.
  std::int64_t uncertainty_ns = 0;  ///< RTT/2 + server resolution: the true offset is within ±this.
};

/// offset = server − (send + rtt/2); nullopt if recv < send (the local clock stepped).
std::optional<skew_estimate> estimate(const time_probe& p);
/// The estimate of the probe with the smallest RTT (the most precise); nullopt if none valid.
std::optional<skew_estimate> best_estimate(const std::vector<time_probe>& probes);

/// Limits; max_skew_ns is [circuit_breakers] max_clock_skew_ms.
struct skew_policy {
  std::int64_t max_skew_ns = 150'000'000;  ///< |offset| above this is a violation.
  std::int64_t max_rtt_ns = 2'000'000'000; ///< Probes slower than this cannot judge.
};

/// The verdict.
enum class skew_status {
  ok,          ///< Within the limit.
  exceeded,    ///< |offset| > limit: LIVE refuses to start, the gate closes, clock_skew alert.
  unreliable,  ///< No usable probe (too slow or none): LIVE refuses to start; WARNING.
};

/// A verdict with its reason, e.g. "CLOCK_SKEW: offset_ms=-212.4 limit_ms=150.0 rtt_ms=38.0".
struct skew_verdict {
  skew_status status = skew_status::unreliable;
  std::optional<skew_estimate> estimate;
  std::string reason;
  /// LIVE may start (or keep opening risk) only when ok.
  bool live_allowed() const { return status == skew_status::ok; }
};

/// Judges the best of probes against policy.
skew_verdict evaluate(const std::vector<time_probe>& probes, const skew_policy& policy = {});

} // namespace trader::clock
