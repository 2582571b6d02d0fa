#include "runtime/metrics/actor_metrics.hpp"

#include <algorithm>
#include <stdexcept>

namespace trader::metrics {

namespace {

void check_labels(const std::vector<label_spec>& labels) {
  for (const auto& l : labels)
    if (!valid_label_name(l.name) || l.name == "le" || l.name == "quantile")
      throw std::invalid_argument("invalid label name: " + l.name);
}

} // namespace

// -- labelled -----------------------------------------------------------------

template <class Metric>
labelled<Metric>::labelled(std::vector<label_spec> labels, std::size_t max_series, add_fn add)
  : labels_(std::move(labels)), max_series_(std::max<std::size_t>(max_series, 1)), add_(std::move(add)) {
  check_labels(labels_);
}

template <class Metric>
Metric& labelled<Metric>::at(const std::vector<std::string_view>& values) {
  std::vector<std::string> key;
  key.reserve(labels_.size());
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    std::string_view v = i < values.size() ? values[i] : std::string_view{};
    const auto& allowed = labels_[i].values;
    bool ok = !v.empty() && v.size() <= 64;
    if (ok && !allowed.empty())
      ok = std::find(allowed.begin(), allowed.end(), v) != allowed.end();
    key.emplace_back(ok ? v : overflow_label_value);
  }
  std::lock_guard<std::mutex> lock(state_->mtx);
  auto it = state_->series.find(key);
  if (it != state_->series.end())
    return *it->second;
  if (state_->series.size() + 1 >= max_series_) {
    // Keep one slot for the overflow series so the cap is never exceeded.
    key.assign(labels_.size(), std::string(overflow_label_value));
    it = state_->series.find(key);
    if (it != state_->series.end())
      return *it->second;
  }
  prometheus::Labels l;
  for (std::size_t i = 0; i < labels_.size(); ++i)
    l[labels_[i].name] = key[i];
  Metric& m = add_(l);
  state_->series.emplace(std::move(key), &m);
  return m;
}

template <class Metric>
std::size_t labelled<Metric>::size() const {
  std::lock_guard<std::mutex> lock(state_->mtx);
  return state_->series.size();
}

template class labelled<prometheus::Counter>;
template class labelled<prometheus::Gauge>;
template class labelled<prometheus::Histogram>;

// -- actor_metrics ------------------------------------------------------------

actor_metrics::actor_metrics(prometheus::Registry& registry, std::string actor)
  : registry_(&registry), actor_(std::move(actor)) {
  if (!valid_name_part(actor_))
    throw std::invalid_argument("invalid actor name for metrics: " + actor_);
}

std::string actor_metrics::checked_name(std::string_view what, metric_kind kind) const {
  auto name = metric_name(actor_, what);
  if (auto why = naming_problem(name, kind); !why.empty())
    throw std::invalid_argument(why);
  return name;
}

prometheus::Counter& actor_metrics::counter(std::string_view what, std::string_view help) const {
  return prometheus::BuildCounter()
    .Name(checked_name(what, metric_kind::counter))
    .Help(std::string(help))
    .Register(*registry_)
    .Add({});
}

prometheus::Gauge& actor_metrics::gauge(std::string_view what, std::string_view help) const {
  return prometheus::BuildGauge().Name(checked_name(what, metric_kind::gauge)).Help(std::string(help)).Register(*registry_).Add({});
}

prometheus::Histogram& actor_metrics::histogram(std::string_view what, std::string_view help, const std::vector<double>& buckets) const {
  return prometheus::BuildHistogram()
    .Name(checked_name(what, metric_kind::histogram))
    .Help(std::string(help))
    .Register(*registry_)
    .Add({}, buckets);
}

labelled<prometheus::Counter> actor_metrics::counters(std::string_view what, std::string_view help,
                                                      std::vector<label_spec> labels, std::size_t max_series) const {
  auto& family = prometheus::BuildCounter().Name(checked_name(what, metric_kind::counter)).Help(std::string(help)).Register(*registry_);
  return {std::move(labels), max_series, [&family](const prometheus::Labels& l) -> prometheus::Counter& { return family.Add(l); }};
}

labelled<prometheus::Gauge> actor_metrics::gauges(std::string_view what, std::string_view help,
                                                  std::vector<label_spec> labels, std::size_t max_series) const {
  auto& family = prometheus::BuildGauge().Name(checked_name(what, metric_kind::gauge)).Help(std::string(help)).Register(*registry_);
  return {std::move(labels), max_series, [&family](const prometheus::Labels& l) -> prometheus::Gauge& { return family.Add(l); }};
}

labelled<prometheus::Histogram> actor_metrics::histograms(std::string_view what, std::string_view help,
                                                          std::vector<label_spec> labels, std::vector<double> buckets,
                                                          std::size_t max_series) const {
  auto& family =
    prometheus::BuildHistogram().Name(checked_name(what, metric_kind::histogram)).Help(std::string(help)).Register(*registry_);
  return {std::move(labels), max_series,
          [&family, buckets = std::move(buckets)](const prometheus::Labels& l) -> prometheus::Histogram& { return family.Add(l, buckets); }};
}

std::vector<double> latency_buckets_seconds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
}

std::vector<double> cycle_buckets_seconds() { return {1, 2.5, 5, 10, 15, 20, 30, 45, 60, 90, 120}; }

} // namespace trader::metrics
