#pragma once
// How an actor declares its metrics: one struct built from an actor_metrics, each series
// named trader_<actor>_<what>, base units, labels bounded. No CAF.
//
//   struct rate_limiter_stats {
//     explicit rate_limiter_stats(const metrics::actor_metrics& m)
//       : throttled(m.counters("throttled_total", "Requests delayed for tokens.", {"endpoint"})),
//         tokens(m.gauge("tokens", "Tokens left in the bucket.")) {}
//     metrics::labelled<prometheus::Counter> throttled;  // throttled["orders"].Increment()
//     prometheus::Gauge& tokens;
//   };

#include "runtime/metrics/metric_names.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace trader::metrics {

/// Value a bounded label takes for anything outside its allowed set or past the cap.
inline constexpr std::string_view overflow_label_value = "other";

/// One label of a family and, optionally, the only values it may take.
struct label_spec {
  std::string name;                 ///< e.g. "endpoint"; [a-z][a-z0-9_]*.
  std::vector<std::string> values;  ///< Allowed values; empty: any, within max_series.
};

/// A family whose label values are bounded: values outside a label's allowed set map to
/// "other", and once max_series combinations exist new ones go to the all-"other" series.
/// Thread-safe; returned references stay valid for the registry's lifetime.
template <class Metric>
class labelled {
public:
  using add_fn = std::function<Metric&(const prometheus::Labels&)>;
  labelled(std::vector<label_spec> labels, std::size_t max_series, add_fn add);
  /// The series for one value per label, in declaration order.
  Metric& at(const std::vector<std::string_view>& values);
  /// The series of a single-label family.
  Metric& operator[](std::string_view value) { return at({value}); }
  /// Distinct series created so far.
  std::size_t size() const;

private:
  struct state {
    std::mutex mtx;
    std::map<std::vector<std::string>, Metric*> series;
  };
  std::vector<label_spec> labels_;
  std::size_t max_series_;
  add_fn add_;
  std::unique_ptr<state> state_ = std::make_unique<state>();
};

/// Declares metrics for one actor in the shared registry. Declaring the same metric again
/// (a restarted actor) returns the existing series, so counters stay monotonic.
/// Names breaking the conventions throw std::invalid_argument at declaration time.
class actor_metrics {
public:
  actor_metrics(prometheus::Registry& registry, std::string actor);

  /// trader_<actor>_<what>; what ends in _total.
  prometheus::Counter& counter(std::string_view what, std::string_view help) const;
  /// trader_<actor>_<what>.
  prometheus::Gauge& gauge(std::string_view what, std::string_view help) const;
  /// trader_<actor>_<what>; buckets in base units (see latency_buckets_seconds()).
  prometheus::Histogram& histogram(std::string_view what, std::string_view help, const std::vector<double>& buckets) const;

  /// Labelled variants; max_series bounds the label combinations (default 64).
  labelled<prometheus::Counter> counters(std::string_view what, std::string_view help, std::vector<label_spec> labels,
                                         std::size_t max_series = 64) const;
  labelled<prometheus::Gauge> gauges(std::string_view what, std::string_view help, std::vector<label_spec> labels,
                                     std::size_t max_series = 64) const;
  labelled<prometheus::Histogram> histograms(std::string_view what, std::string_view help,
                                             std::vector<label_spec> labels, std::vector<double> buckets,
                                             std::size_t max_series = 64) const;

  /// The actor's name as used in metric names.
  const std::string& actor() const { return actor_; }
  /// The registry the metrics live in.
  prometheus::Registry& registry() const { return *registry_; }

private:
  std::string checked_name(std::string_view what, metric_kind kind) const;
  prometheus::Registry* registry_;
  std::string actor_;
};

/// Latency buckets in seconds: 0.5 ms … 60 s, 1-2.5-5 steps (16 buckets).
std::vector<double> latency_buckets_seconds();
/// Cycle-duration buckets in seconds for the decision cycle (1 s … 120 s).
std::vector<double> cycle_buckets_seconds();

extern template class labelled<prometheus::Counter>;
extern template class labelled<prometheus::Gauge>;
extern template class labelled<prometheus::Histogram>;

} // namespace trader::metrics
