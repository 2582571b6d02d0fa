#pragma once
// Reads one series out of a prometheus-cpp registry in tests: counters and gauges give
// their value, histograms their sample count. nullopt when no series matches.

#include <prometheus/registry.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>

namespace trader::test {

inline std::optional<double> metric_value(prometheus::Registry& registry, const std::string& name,
                                          const std::map<std::string, std::string>& labels = {}) {
  for (const auto& fam : registry.Collect()) {
    if (fam.name != name)
      continue;
    for (const auto& m : fam.metric) {
      std::map<std::string, std::string> got;
      for (const auto& l : m.label)
        got[l.name] = l.value;
      if (!std::all_of(labels.begin(), labels.end(), [&](const auto& kv) { return got[kv.first] == kv.second; }))
        continue;
      switch (fam.type) {
        case prometheus::MetricType::Counter: return m.counter.value;
        case prometheus::MetricType::Gauge: return m.gauge.value;
        case prometheus::MetricType::Histogram: return static_cast<double>(m.histogram.sample_count);
        default: return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

} // namespace trader::test
