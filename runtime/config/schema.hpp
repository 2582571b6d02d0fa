#pragma once
// The schema: every section and key of the five files, described once, bound to the
// trader_config member that holds it. The loader, the hash, reload and the generated
// reference all walk this table, so a key added here is parsed, hashed, diffed and documented.

#include "runtime/config/trader_config.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace trader::config {

/// A setting's value, independent of TOML.
using config_value = std::variant<bool, std::int64_t, double, std::string, std::vector<std::string>>;

/// What a key accepts. choice/choice_list: strings from `choices`.
enum class value_type { boolean, integer, number, string, choice, string_list, choice_list };

/// "boolean", "integer", "number", "string", "choice", "string list", "choice list".
const char* to_string(value_type t);

/// A key: its type, range, documentation and how to read/write it in its section struct.
struct field_schema {
  std::string key; ///< Name inside its section, e.g. "stop_loss_pct".
  value_type type = value_type::string;
  std::optional<double> min;        ///< Inclusive lower bound unless min_exclusive.
  std::optional<double> max;        ///< Inclusive upper bound.
  bool min_exclusive = false;       ///< min is exclusive: (min, max].
  bool percent = false;             ///< A percentage: negative values report NEGATIVE_PCT.
  std::vector<std::string> choices; ///< Accepted strings for choice / choice_list.
  std::string unit;                 ///< "%", "bps", "s", "ms", "USD", ... or empty.
  std::string doc;                  ///< One-line meaning.
  bool required = false;            ///< Must be written in some layer.
  bool reloadable = true;           ///< May change on hot reload.
  std::function<config_value(const void* section)> get;          ///< Reads the member.
  std::function<void(void* section, const config_value& v)> set; ///< Writes the member (v already checked).
  std::function<std::optional<std::string>(const config_value& v)>
    check; ///< Extra format check; message on failure.
};

/// A [section] (or a [name.ENTRY] map of sections) of one file.
struct section_schema {
  std::string file;                ///< "policy.toml".
  std::string name;                ///< Dotted: "risk.pyramiding"; for a map: "themes".
  std::string doc;                 ///< One-line meaning.
  bool is_map = false;             ///< [name.ENTRY] tables with `fields` each.
  std::vector<std::string> actors; ///< Registry names told when this section changes on reload.
  std::vector<field_schema> fields;
  std::function<const void*(const trader_config&)> get;                  ///< Non-map: the section struct.
  std::function<void*(trader_config&)> get_mut;                          ///< Non-map.
  std::function<std::vector<std::string>(const trader_config&)> entries; ///< Map: entry names, sorted.
  std::function<const void*(const trader_config&, const std::string&)> entry; ///< Map: existing entry.
  std::function<void*(trader_config&, const std::string&)> entry_mut; ///< Map: entry, created with defaults.
  std::function<void(trader_config&)> clear;                          ///< Map: remove every entry.
};

/// A key that used to exist: reported with its replacement.
struct deprecated_key {
  std::string file;        ///< File it may appear in.
  std::string path;        ///< Dotted path, e.g. "risk.max_exposure_pct".
  std::string replacement; ///< e.g. "risk.max_total_at_risk_pct".
  std::string check;       ///< DEPRECATED_EXPOSURE_KEY / REMOVED_CACHE_KEY.
  bool mapped;             ///< true: value is applied to the replacement; false: ignored.
};

/// Every section, in file then document order.
const std::vector<section_schema>& schema();
/// Every deprecated or removed key.
const std::vector<deprecated_key>& deprecated_keys();
/// The section named `name` in `file` (any file when file is empty), or nullptr.
const section_schema* find_section(std::string_view file, std::string_view name);
/// Field `key` of section s, or nullptr.
const field_schema* find_field(const section_schema& s, std::string_view key);

/// Every setting of c as (dotted key, value), sorted by key. Maps give "themes.NAME.key".
std::vector<std::pair<std::string, config_value>> flatten(const trader_config& c);
/// Canonical text of a value: shortest round-trip numbers, JSON-escaped strings, ["a","b"].
std::string render_value(const config_value& v);

/// Levenshtein distance.
std::size_t edit_distance(std::string_view a, std::string_view b);
/// The closest candidate within distance max(2, |key|/3), or nullopt.
std::optional<std::string> closest(std::string_view key, const std::vector<std::string>& candidates);

} // namespace trader::config
