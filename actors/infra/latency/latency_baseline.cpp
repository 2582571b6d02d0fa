#include "actors/infra/latency/latency_baseline.hpp"

#include <nlohmann/json.hpp>

namespace trader::latency {

namespace {

constexpr int baseline_version = 1;

} // namespace

std::string encode_baseline(const std::string& key, const latency_histogram& h) {
  nlohmann::json buckets = nlohmann::json::array();
  for (const auto& [i, n] : h.sparse_buckets())
    buckets.push_back({i, n});
  nlohmann::json j{{"v", baseline_version}, {"key", key},     {"sum", h.sum()},
                   {"min", h.min()},        {"max", h.max()}, {"buckets", std::move(buckets)}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<baseline> decode_baseline(const std::string& text, std::string& why) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    why = "latency baseline is not a JSON object";
    return std::nullopt;
  }
  if (j.value("v", 0) != baseline_version) {
    why = "latency baseline version " + j.value("v", nlohmann::json(0)).dump() + " not supported";
    return std::nullopt;
  }
  try {
    baseline b;
    b.key = j.at("key").get<std::string>();
    std::vector<std::pair<std::uint16_t, std::uint64_t>> buckets;
    for (const auto& e : j.at("buckets")) {
      if (!e.is_array() || e.size() != 2 || !e[0].is_number_unsigned() || !e[1].is_number_unsigned()
          || e[0].get<std::uint64_t>() >= latency_histogram::bucket_count) {
        why = "latency baseline has a malformed bucket: " + e.dump();
        return std::nullopt;
      }
      buckets.emplace_back(static_cast<std::uint16_t>(e[0].get<std::uint64_t>()), e[1].get<std::uint64_t>());
    }
    if (!b.histogram.restore(buckets, j.at("sum").get<std::int64_t>(), j.at("min").get<std::int64_t>(),
                             j.at("max").get<std::int64_t>())) {
      why = "latency baseline of " + b.key + " has impossible values";
      return std::nullopt;
    }
    return b;
  } catch (const std::exception& e) {
    why = std::string("latency baseline malformed: ") + e.what();
    return std::nullopt;
  }
}

} // namespace trader::latency
