#pragma once
// Helpers for the config tests: the shipped config/ as texts, overlays, issue lookups.

#include "runtime/config/loader.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace trader::config::testing {

/// The repository's config/ directory.
inline std::filesystem::path shipped_dir() { return std::filesystem::path(TRADER_SOURCE_DIR) / "config"; }

/// The five shipped base files, name → text.
inline std::map<std::string, std::string> shipped_texts() {
  std::map<std::string, std::string> files;
  for (const auto& name : config_file_names()) {
    std::ifstream in(shipped_dir() / name);
    std::ostringstream ss;
    ss << in.rdbuf();
    files[name] = ss.str();
  }
  return files;
}

/// Loads the shipped files with `overlay` (file → TOML text) as a second layer.
inline load_result load_with(const std::map<std::string, std::string>& overlay) {
  return load_config_layers({config_layer{"config", shipped_texts()}, config_layer{"overlay", overlay}});
}

/// Loads the shipped files after replacing base file `file` with `text`.
inline load_result load_replacing(const std::string& file, const std::string& text) {
  auto files = shipped_texts();
  files[file] = text;
  return load_config_texts(files, "config");
}

/// The first issue with check id `id`, or nullptr.
inline const config_issue* find_issue(const load_result& r, const std::string& id) {
  for (const auto& i : r.issues)
    if (i.check == id)
      return &i;
  return nullptr;
}

/// Every issue rendered, one per line (for failure messages).
inline std::string dump(const load_result& r) {
  std::string out;
  for (const auto& i : r.issues)
    out += render(i) + "\n";
  return out;
}

/// `text` without the [section] header and its keys (up to the next header).
inline std::string without_section(const std::string& text, const std::string& section) {
  std::istringstream in(text);
  std::string line, out;
  bool skipping = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] == '[')
      skipping = line == "[" + section + "]";
    if (!skipping)
      out += line + "\n";
  }
  return out;
}

/// A fresh empty directory under the system temp dir.
inline std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("trader_config_test_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

/// Writes `text` to dir/name.
inline void write_file(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name) << text;
}

} // namespace trader::config::testing
