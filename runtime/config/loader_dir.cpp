// load_config_dir: reads a base or profile directory from disk, then load_config_layers.

#include "runtime/config/loader.hpp"

#include "runtime/config/schema.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

namespace trader::config {

namespace {

constexpr int max_profile_depth = 4;

std::string shown(const std::filesystem::path& p) { return p.lexically_normal().string(); }

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    return std::nullopt;
  return ss.str();
}

void missing(load_result& r, const std::string& file, std::string msg) {
  r.issues.push_back({severity::error, "FILE_MISSING", file, 0, 0, "", std::move(msg)});
  r.unreadable = true;
}

/// Reads profile.toml; returns the base directory or records why not.
std::optional<std::filesystem::path> profile_base(const std::filesystem::path& dir, load_result& r) {
  auto file = dir / "profile.toml";
  auto text = read_file(file);
  if (!text) {
    missing(r, shown(file), "cannot read");
    return std::nullopt;
  }
  toml::table root;
  try {
    root = toml::parse(*text, shown(file));
  } catch (const toml::parse_error& e) {
    r.issues.push_back({severity::error, "PARSE_ERROR", shown(file), e.source().begin.line,
                        e.source().begin.column, "", "TOML syntax: " + std::string(e.description())});
    return std::nullopt;
  }
  bool bad = false;
  for (const auto& [k, node] : root) {
    const auto* t = node.as_table();
    if (k.str() != "profile" || !t) {
      r.issues.push_back({severity::error, "UNKNOWN_KEY", shown(file), k.source().begin.line,
                          k.source().begin.column, std::string(k.str()),
                          "profile.toml holds only a [profile] table"});
      bad = true;
      continue;
    }
    for (const auto& [pk, pnode] : *t) {
      if (pk.str() == "name" || pk.str() == "base" || pk.str() == "description") {
        if (!pnode.is_string()) {
          r.issues.push_back({severity::error, "TYPE_MISMATCH", shown(file), pnode.source().begin.line,
                              pnode.source().begin.column, "profile." + std::string(pk.str()),
                              "expected a string"});
          bad = true;
        }
        continue;
      }
      r.issues.push_back({severity::error, "UNKNOWN_KEY", shown(file), pk.source().begin.line,
                          pk.source().begin.column, "profile." + std::string(pk.str()),
                          "unknown key; [profile] takes name, base, description"});
      bad = true;
    }
  }
  auto base = root["profile"]["base"].value<std::string>();
  if (!base) {
    r.issues.push_back({severity::error, "REQUIRED_KEY_MISSING", shown(file), 0, 0, "profile.base",
                        "required key missing: the directory this profile overlays, e.g. \"../..\""});
    return std::nullopt;
  }
  if (bad)
    return std::nullopt;
  return dir / *base;
}

/// A *.toml file that is none of ours would be silently ignored (a typo such as
/// "polcy.toml" in a profile loses the whole overlay): report it as an error.
void report_stray_files(const std::filesystem::path& dir, load_result& r) {
  std::vector<std::string> known = config_file_names();
  known.emplace_back("profile.toml");
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    auto name = entry.path().filename().string();
    if (entry.path().extension() != ".toml" || std::find(known.begin(), known.end(), name) != known.end())
      continue;
    auto near = closest(name, known);
    r.issues.push_back({severity::error, "UNKNOWN_FILE", shown(entry.path()), 0, 0, "",
                        "not a configuration file, it would be ignored" +
                          (near ? "; did you mean " + *near + "?" : std::string())});
  }
}

/// Appends dir's layers (its base chain first) to `layers`.
bool collect_layers(const std::filesystem::path& dir, int depth, std::vector<config_layer>& layers,
                    load_result& r) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    missing(r, shown(dir), "not a readable directory");
    return false;
  }
  bool is_profile = std::filesystem::exists(dir / "profile.toml", ec);
  if (is_profile) {
    if (depth >= max_profile_depth) {
      r.issues.push_back(
        {severity::error, "PROFILE_DEPTH", shown(dir / "profile.toml"), 0, 0, "profile.base",
         "profiles nest deeper than " + std::to_string(max_profile_depth) + " levels (a cycle?)"});
      return false;
    }
    auto base = profile_base(dir, r);
    if (!base || !collect_layers(*base, depth + 1, layers, r))
      return false;
  }
  config_layer layer{shown(dir), {}};
  for (const auto& name : config_file_names()) {
    auto path = dir / name;
    if (!std::filesystem::exists(path, ec)) {
      if (!is_profile)
        missing(r, shown(path), "required file missing");
      continue;
    }
    auto text = read_file(path);
    if (!text) {
      missing(r, shown(path), "cannot read");
      continue;
    }
    layer.files[name] = std::move(*text);
  }
  layers.push_back(std::move(layer));
  report_stray_files(dir, r);
  return !r.unreadable;
}

} // namespace

load_result load_config_dir(const std::filesystem::path& dir) {
  load_result r;
  std::vector<config_layer> layers;
  if (!collect_layers(dir, 0, layers, r))
    return r;
  load_result loaded = load_config_layers(layers);
  if (r.issues.empty())
    return loaded;
  loaded.issues.insert(loaded.issues.begin(), r.issues.begin(), r.issues.end());
  if (count(r.issues, severity::error) > 0) {  // e.g. UNKNOWN_FILE: no config
    loaded.config.reset();
    loaded.hash.clear();
    loaded.trading_hash.clear();
  }
  return loaded;
}

} // namespace trader::config
