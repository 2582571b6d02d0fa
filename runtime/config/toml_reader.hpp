#pragma once
// Internal: converts a toml++ node into a checked config_value for one schema field.

#include "runtime/config/schema.hpp"

#include <toml++/toml.h>

#include <optional>
#include <string>

namespace trader::config {

/// A value read for a field, or the issue id and message explaining why not.
struct read_outcome {
  std::optional<config_value> value; ///< Set when type, range, choices and format all pass.
  std::string
    check; ///< TYPE_MISMATCH, OUT_OF_RANGE, NEGATIVE_PCT, INVALID_CHOICE, INVALID_VALUE, SECRET_IN_CONFIG.
  std::string error; ///< Message; empty on success.
};

/// Reads `node` as field f's type and checks it against f's range, choices and format.
read_outcome read_value(const field_schema& f, const toml::node& node);

/// "string", "integer", "float", "boolean", "array", "table", "date", "time", "date-time".
std::string node_type_name(const toml::node& node);

} // namespace trader::config
