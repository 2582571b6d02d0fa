#pragma once
// Loads a configuration directory (or in-memory texts) into a trader_config. Never throws:
// every problem becomes a config_issue, all of them are collected, and a config is returned
// only when none is an error.
//
// A directory holds app.toml, policy.toml, signals.toml, universe.toml, strategies.toml.
// A profile directory instead holds profile.toml ([profile] base = "../..") and any subset of
// the five files: the base directory is loaded first, then each profile file overlays it
// key by key (tables merge, scalars and arrays replace, [themes.X]/[strategies.X] merge per
// entry). See docs/configuration.md.

#include "runtime/config/config_issue.hpp"
#include "runtime/config/trader_config.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::config {

/// The five files every base directory must hold, in load order.
const std::vector<std::string>& config_file_names();

/// What loading produced. Exactly one of: config set, or at least one error in issues.
struct load_result {
  std::optional<trader_config> config; ///< Set when no issue is an error (warnings allowed).
  std::vector<config_issue> issues;    ///< Every error and warning, schema first, then sanity.
  std::string hash;                    ///< config_hash(*config): 16 hex chars; empty without config.
  std::string trading_hash;            ///< trading_hash(*config); empty without config.
  key_locations locations;             ///< Where each key and table was written (last layer wins).
  bool unreadable = false;             ///< A directory or required file could not be read.

  bool ok() const { return config.has_value(); }
  std::size_t errors() const { return count(issues, severity::error); }
  std::size_t warnings() const { return count(issues, severity::warning); }
};

/// One layer of configuration text: file name (e.g. "policy.toml") → TOML text.
struct config_layer {
  std::string dir;                          ///< Shown in issues: "<dir>/<file>"; may be empty.
  std::map<std::string, std::string> files; ///< Base layer: all five files; overlays: any subset.
};

/// Loads DIR (a base directory or a profile directory). Never throws.
load_result load_config_dir(const std::filesystem::path& dir);

/// Loads layers in order (first = base) from memory: for tests, fuzzing and reload. Never throws.
load_result load_config_layers(const std::vector<config_layer>& layers);

/// Shorthand for one base layer.
load_result load_config_texts(const std::map<std::string, std::string>& files, std::string dir = "");

} // namespace trader::config
