#pragma once
// Per endpoint / stage latency: a rolling window (default 5 × 1 min slots) and a lifetime
// histogram per key, p50/p95/p99, budgets that turn into violation records (and recovery
// records when a violating key is back under budget). Bounded: at most max_keys keys,
// ~4 KiB per histogram. Time is an argument (monotonic ns). No CAF.

#include "actors/infra/latency/latency_histogram.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::latency {

/// A limit on one key (or every key with a prefix).
struct latency_budget {
  std::int64_t max_ns = 0;         ///< The budget.
  double quantile = 0.99;          ///< Which window quantile must stay ≤ max_ns; 1.0 = every sample.
  std::uint64_t min_samples = 20;  ///< Fewer samples in the window: no verdict.
};

/// A key over its budget.
struct violation {
  std::string key;                 ///< e.g. "rest:/orders" or "stage:decision_cycle".
  double quantile = 0;
  std::int64_t observed_ns = 0;
  std::int64_t budget_ns = 0;
  std::uint64_t samples = 0;       ///< In the window.
  std::string reason;              ///< "LATENCY_BUDGET: key=rest:/orders p99_ms=1830.0 budget_ms=1500.0 samples=57".
};

/// What check() found.
struct check_result {
  std::vector<violation> violations;  ///< Keys over budget now.
  std::vector<std::string> recovered; ///< Keys that were over budget at the last check and are not now.
};

/// One key's figures for `traderctl latency` and metrics.
struct latency_summary {
  std::string key;
  std::uint64_t window_count = 0;
  std::int64_t p50_ns = 0, p95_ns = 0, p99_ns = 0, max_ns = 0;  ///< Over the window.
  std::uint64_t lifetime_count = 0;
  std::int64_t lifetime_p50_ns = 0;
  std::int64_t lifetime_p99_ns = 0;
  std::optional<latency_budget> budget;
};

/// Tracker settings.
struct tracker_config {
  std::int64_t slot_ns = 60'000'000'000;  ///< Width of one window slot (1 min).
  std::size_t slots = 5;                  ///< Window = slots × slot_ns.
  std::size_t max_keys = 128;             ///< Further keys are counted in "other".
};

/// The latency actor's state.
class latency_tracker {
public:
  explicit latency_tracker(tracker_config cfg = {});

  /// Budget for key; a key ending in '*' is a prefix ("rest:*"). Exact keys win.
  void set_budget(const std::string& key, latency_budget b);
  /// Records one sample of key at now.
  void record(const std::string& key, std::int64_t duration_ns, std::int64_t now_ns);
  /// Evaluates every budgeted key's window at now.
  check_result check(std::int64_t now_ns);
  /// Summaries of every key, sorted by key.
  std::vector<latency_summary> summaries(std::int64_t now_ns) const;
  /// The window histogram of key at now (empty if unknown).
  latency_histogram window(const std::string& key, std::int64_t now_ns) const;
  /// The lifetime histogram (the persisted baseline) of key, or nullptr.
  const latency_histogram* lifetime(const std::string& key) const;
  /// Replaces key's lifetime histogram (restoring a persisted baseline).
  void restore_baseline(const std::string& key, const latency_histogram& h);
  /// Keys tracked (≤ max_keys + 1 for "other").
  std::size_t key_count() const { return series_.size(); }

private:
  struct series {
    std::vector<latency_histogram> slots;
    std::vector<std::int64_t> slot_epoch;  ///< Which slot period each slot holds.
    latency_histogram lifetime;
  };
  series& series_for(const std::string& key);
  std::optional<latency_budget> budget_for(const std::string& key) const;
  latency_histogram window_of(const series& s, std::int64_t now_ns) const;

  tracker_config cfg_;
  std::map<std::string, series> series_;
  std::map<std::string, latency_budget> budgets_;
  std::map<std::string, bool> violating_;
};

/// Formats ns as milliseconds with one decimal: 1830.0.
std::string format_ms(std::int64_t ns);

} // namespace trader::latency
