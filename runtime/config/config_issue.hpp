#pragma once
// What the loader and the sanity checks report: one issue per problem, with where it is.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace trader::config {

/// An error blocks start (and reload); a warning is logged and the config is used.
enum class severity { warning, error };

/// "error" or "warning".
const char* to_string(severity s);

/// Where a key was written. line 0 means "not written in any file" (a default applies).
struct source_position {
  std::string file;         ///< Path as the loader opened it, e.g. "config/policy.toml".
  std::uint32_t line = 0;   ///< 1-based; 0 when the key took its default.
  std::uint32_t column = 0; ///< 1-based; 0 when unknown.
};

/// Dotted key path ("risk.stop_loss_pct", or a table such as "circuit_breakers") → where the
/// last layer that set it wrote it.
using key_locations = std::map<std::string, source_position>;

/// One problem found in a configuration.
struct config_issue {
  severity level = severity::error; ///< error blocks start; warning does not.
  std::string check; ///< Stable id: a schema kind (UNKNOWN_KEY) or a sanity check (STOP_LOSS_GE_TAKE_PROFIT).
  std::string file;  ///< File the issue is about; may be a directory for FILE_MISSING.
  std::uint32_t line = 0;   ///< 1-based; 0 when the issue has no single line.
  std::uint32_t column = 0; ///< 1-based; 0 when unknown.
  std::string key;          ///< Dotted key path, e.g. "risk.pyramiding.max_adds_per_day"; may be empty.
  std::string message;      ///< Why, with the values involved; never a secret's value.
};

/// "file:line:col: error: key: message [CHECK]" (line/col left out when 0, key when empty).
std::string render(const config_issue& issue);

/// Number of issues at severity s.
std::size_t count(const std::vector<config_issue>& issues, severity s);

} // namespace trader::config
