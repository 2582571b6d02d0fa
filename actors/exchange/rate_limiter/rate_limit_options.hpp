#pragma once
// The rate limiter's settings: one budget per endpoint group plus the shared thresholds.
// The published limits disagree (docs/exchange.md § Rate limiter, coinbase-api.md §5); the
// defaults take the stricter reading of each. No CAF.

#include "messages/exchange.hpp"
#include "runtime/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace trader::rate_limit {

/// The budget of one endpoint group: a short bucket (per-second limit) and an optional long
/// one (per-hour limit). A bucket of rate r and burst b grants at most b + r·T calls in any
/// interval T, so rate_per_s + burst ≤ the published per-second limit keeps every 1-s window
/// under it.
struct group_options {
  double rate_per_s = 24;     ///< Sustained refill, tokens/s, > 0.
  double burst = 6;           ///< Bucket capacity, tokens, ≥ 1.
  double per_hour = 0;        ///< Long-window limit, calls/h; 0 = none.
  double hour_burst_fraction = 0.1;  ///< Share of per_hour usable at once; the rest refills over the hour.

  /// Budget for a published limit: burst = 20 % of it (≥ 1), rate = the rest, so any 1-s window
  /// holds ≤ limit_per_s calls; per_hour likewise never exceeded in any hour.
  static group_options for_limit(double limit_per_s, double per_hour = 0);
};

/// Limiter settings.
struct options {
  group_options public_rest = group_options::for_limit(10);            ///< 10/s per IP.
  group_options private_rest = group_options::for_limit(30, 10000);    ///< 30/s and 10,000/h per key.
  group_options ws_connect = group_options::for_limit(8);              ///< 8/s per IP (not 750/s).
  double cancel_reserve_fraction = 0.2;  ///< Share of each bucket only cancels may use, 0..0.9.
  double warn_at = 0.8;                  ///< Window use raising a warning event, (0, 1].
  double hold_at = 0.9;                  ///< Window use above which data calls are held, (0, 1].
  std::int64_t window_ns = 1'000'000'000;       ///< The window use is measured over.
  std::int64_t default_retry_after_ms = 1000;   ///< Pause after a 429 without a retry hint.
  std::int64_t max_retry_after_ms = 60000;      ///< Cap on a hinted pause.
  double tighten_factor = 0.5;           ///< Rate multiplier per 429 episode, (0, 1).
  double min_rate_factor = 0.125;        ///< Tightening never goes below this share of the rate.
  std::int64_t recover_after_ms = 10000; ///< Quiet time (no 429) before each recovery step.
  double recover_step = 0.25;            ///< Rate factor added per recovery step, up to 1.
  std::size_t max_queue = 1024;          ///< Waiting calls per group; more are refused busy.
  std::size_t max_endpoints = 32;        ///< Distinct endpoint names tracked; the rest are "other".
  int max_api_errors = 5;                ///< API errors within api_error_window_ns that are a burst.
  std::int64_t api_error_window_ns = 60'000'000'000;  ///< [circuit_breakers] api_error_window_s.
  /// The actor forwards each call_outcome's latency to "latency" as a latency_sample. Off by
  /// default: the endpoint actors' call_gate already sends one per attempt.
  bool forward_latency = false;

  const group_options& group(endpoint_group g) const;
  group_options& group(endpoint_group g);
};

/// Success when o is usable, else one line per problem.
result<void, std::string> validate(const options& o);

/// "public", "private", "ws" (metric label values).
std::string_view to_string(endpoint_group g);
/// "cancel", "order", "data".
std::string_view to_string(call_priority p);

} // namespace trader::rate_limit
