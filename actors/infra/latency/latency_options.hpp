#pragma once
// The latency actor's settings: policy.toml [latency] budgets and [loop] cycle_budget_s,
// turned into tracker budgets per key prefix. No CAF.

#include "actors/infra/latency/latency_tracker.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace trader::latency {

/// Latency actor settings (the daemon fills them from the policy).
struct options {
  std::int64_t rest_budget_ms = 1500;       ///< [latency] rest_budget_ms: p99 of "rest:*".
  std::int64_t order_ack_budget_ms = 3000;  ///< [latency] order_ack_budget_ms: p99 of "order_ack:*", "stage:order_ack".
  std::int64_t ws_lag_budget_ms = 1000;     ///< [latency] ws_lag_budget_ms: p99 of "ws:*".
  double cycle_budget_s = 45;               ///< [loop] cycle_budget_s: every "stage:decision_cycle" sample.
  double quantile = 0.99;                   ///< Window quantile the endpoint budgets bound.
  std::uint64_t min_samples = 20;           ///< Fewer samples in the window: no verdict.
  std::int64_t check_interval_ms = 10000;   ///< How often budgets are checked.
  tracker_config tracker{60'000'000'000, 5, 64};  ///< 5 × 1 min window, ≤ 64 keys (+ "other").
  /// Lifetime baselines (one encode_baseline line per key) are restored from this file at
  /// start and rewritten (temp file + rename) every baseline_save_s and at stop; "" = off.
  std::string baseline_path;
  std::int64_t baseline_save_s = 60;
};

/// The budgets of o as (key or "prefix*", budget), in the order they are installed.
std::vector<std::pair<std::string, latency_budget>> budgets_of(const options& o);

/// The JSON answer to latency_report_request: {"endpoints":{key:{count, p50_ms, p95_ms,
/// p99_ms, max_ms, budget_ms|null, quantile, violations, lifetime_count, lifetime_p50_ms,
/// lifetime_p99_ms}}}.
std::string report_json(const std::vector<latency_summary>& summaries,
                        const std::map<std::string, std::uint64_t>& violations);

} // namespace trader::latency
