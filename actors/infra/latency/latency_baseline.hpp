#pragma once
// Persisted latency baselines: a key's lifetime histogram as a small versioned JSON object
// (sparse buckets + exact aggregates) that the state store keeps across restarts. No CAF.

#include "actors/infra/latency/latency_histogram.hpp"

#include <optional>
#include <string>

namespace trader::latency {

/// {"v":1,"key":...,"sum":...,"min":...,"max":...,"buckets":[[index,count],...]}.
std::string encode_baseline(const std::string& key, const latency_histogram& h);

/// A decoded baseline.
struct baseline {
  std::string key;
  latency_histogram histogram;
};

/// Decodes encode_baseline()'s output; nullopt (with why) for anything malformed or of
/// another version, never throws.
std::optional<baseline> decode_baseline(const std::string& text, std::string& why);

} // namespace trader::latency
