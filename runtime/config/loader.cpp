#include "runtime/config/loader.hpp"

#include "runtime/config/config_hash.hpp"
#include "runtime/config/sanity_checks.hpp"
#include "runtime/config/schema.hpp"
#include "runtime/config/secrets.hpp"
#include "runtime/config/toml_reader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <tuple>
#include <set>

namespace trader::config {

const std::vector<std::string>& config_file_names() {
  static const std::vector<std::string> names = {"app.toml", "policy.toml", "signals.toml", "universe.toml",
                                                 "strategies.toml"};
  return names;
}

namespace {

std::string display_path(const std::string& dir, const std::string& file) {
  if (dir.empty())
    return file;
  return (std::filesystem::path(dir) / file).lexically_normal().string();
}

source_position position_of(const std::string& file, const toml::source_region& r) {
  return {file, r.begin.line, r.begin.column};
}

/// Applies the documents of every layer onto one trader_config, collecting issues.
class layer_loader {
public:
  trader_config cfg;
  std::vector<config_issue> issues;
  key_locations where;
  bool parse_failed = false;
  std::set<std::string> failed_files;  ///< Names ("policy.toml") of files with a syntax error.

  explicit layer_loader(const std::string& base_dir) {
    for (const auto& s : schema()) {
      source_position p{display_path(base_dir, s.file), 0, 0};
      where[s.name] = p;
      if (!s.is_map)
        for (const auto& f : s.fields)
          where[s.name + "." + f.key] = p;
    }
  }

  void load_file(const std::string& dir, const std::string& name, const std::string& text, bool base) {
    file_ = display_path(dir, name);
    name_ = name;
    base_ = base;
    deferred_.clear();
    toml::table root;
    try {
      root = toml::parse(text, file_);
    } catch (const toml::parse_error& e) {
      parse_failed = true;
      failed_files.insert(name);
      add(severity::error, "PARSE_ERROR", position_of(file_, e.source()), "",
          "TOML syntax: " + std::string(e.description()));
      return;
    }
    std::size_t first = issues.size();
    walk(root, "");
    apply_deprecated();
    // toml++ iterates tables in key order; report in reading order instead.
    std::stable_sort(issues.begin() + static_cast<std::ptrdiff_t>(first), issues.end(),
                     [](const config_issue& a, const config_issue& b) {
                       return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                     });
  }

private:
  struct deferred {
    const deprecated_key* key;
    const toml::node* node;
    source_position pos;
  };
  std::string file_, name_;
  bool base_ = false;
  std::set<std::string> cleared_;
  std::vector<deferred> deferred_;
  std::set<std::string> written_here_;

  void add(severity lvl, std::string check, const source_position& p, std::string key, std::string msg) {
    issues.push_back({lvl, std::move(check), p.file, p.line, p.column, std::move(key), std::move(msg)});
  }

  static std::string join(const std::string& prefix, std::string_view key) {
    return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
  }

  /// Keys (fields and child sections) valid directly under `path` in this file.
  std::vector<std::string> candidates_under(const std::string& path) const {
    std::vector<std::string> out;
    std::string prefix = path.empty() ? "" : path + ".";
    for (const auto& s : schema()) {
      if (s.file != name_)
        continue;
      if (s.name == path)
        for (const auto& f : s.fields)
          out.push_back(f.key);
      if (s.name.rfind(prefix, 0) == 0 && s.name.find('.', prefix.size()) == std::string::npos)
        out.push_back(s.name.substr(prefix.size()));
    }
    return out;
  }

  std::string suggestion(const std::string& path, std::string_view key) const {
    if (auto near = closest(key, candidates_under(path)))
      return "; did you mean \"" + join(path, *near) + "\"?";
    for (const auto& s : schema())
      if (!s.is_map && find_field(s, key))
        return "; did you mean \"" + s.name + "." + std::string(key) + "\"" +
               (s.file == name_ ? "" : " in " + s.file) + "?";
    return "";
  }

  bool screen_key(const std::string& path, std::string_view key, const source_position& p) {
    if (!looks_like_secret_key(key))
      return false;
    add(severity::error, "SECRET_IN_CONFIG", p, path,
        "looks like a secret; secrets are read only from the environment or $CREDENTIALS_DIRECTORY "
        "(see docs/configuration.md, Secrets), never from TOML");
    return true;
  }

  void unknown(const std::string& parent, std::string_view key, const source_position& p) {
    std::string path = join(parent, key);
    if (const auto* elsewhere = find_section("", path)) {
      add(severity::error, "UNKNOWN_KEY", p, path, "[" + path + "] belongs in " + elsewhere->file + ", not " + name_);
      return;
    }
    add(severity::error, "UNKNOWN_KEY", p, path, "unknown key" + suggestion(parent, key));
  }

  const deprecated_key* find_deprecated(const std::string& path) const {
    for (const auto& d : deprecated_keys())
      if (d.file == name_ && d.path == path)
        return &d;
    return nullptr;
  }

  void walk(const toml::table& t, const std::string& parent) {
    for (const auto& [k, node] : t) {
      std::string path = join(parent, k.str());
      source_position p = position_of(file_, k.source());
      if (const auto* d = find_deprecated(path)) {
        deferred_.push_back({d, &node, p});
        continue;
      }
      if (screen_key(path, k.str(), p))
        continue;
      const section_schema* s = find_section(name_, path);
      if (!s) {
        unknown(parent, k.str(), p);
        continue;
      }
      const auto* tbl = node.as_table();
      if (!tbl) {
        add(severity::error, "TYPE_MISMATCH", p, path,
            "expected a table [" + path + "], found " + node_type_name(node));
        continue;
      }
      where[path] = p;
      if (s->is_map)
        walk_map(*s, *tbl, path);
      else
        walk_section(*s, *tbl, path, s->get_mut(cfg));
    }
  }

  void walk_section(const section_schema& s, const toml::table& t, const std::string& path, void* target) {
    for (const auto& [k, node] : t) {
      std::string key = join(path, k.str());
      source_position p = position_of(file_, k.source());
      if (const auto* f = find_field(s, k.str())) {
        apply(*f, node, key, target);
        continue;
      }
      if (const auto* d = find_deprecated(key)) {
        deferred_.push_back({d, &node, p});
        continue;
      }
      if (screen_key(key, k.str(), p))
        continue;
      if (!s.is_map && find_section(name_, key)) {
        if (const auto* tbl = node.as_table()) {
          where[key] = p;
          walk_section(*find_section(name_, key), *tbl, key, find_section(name_, key)->get_mut(cfg));
        } else {
          add(severity::error, "TYPE_MISMATCH", p, key,
              "expected a table [" + key + "], found " + node_type_name(node));
        }
        continue;
      }
      if (s.is_map) {
        auto near = closest(k.str(), candidates_of(s));
        add(severity::error, "UNKNOWN_KEY", p, key,
            "unknown key" + (near ? "; did you mean \"" + join(path, *near) + "\"?" : std::string()));
        continue;
      }
      unknown(path, k.str(), p);
    }
  }

  static std::vector<std::string> candidates_of(const section_schema& s) {
    std::vector<std::string> out;
    for (const auto& f : s.fields)
      out.push_back(f.key);
    return out;
  }

  void walk_map(const section_schema& s, const toml::table& t, const std::string& path) {
    if (base_ && !cleared_.count(s.name)) {
      s.clear(cfg); // a base file that lists entries replaces the built-in ones
      cleared_.insert(s.name);
    }
    for (const auto& [k, node] : t) {
      std::string entry = std::string(k.str());
      std::string key = join(path, entry);
      source_position p = position_of(file_, k.source());
      if (screen_key(key, entry, p))
        continue;
      if (!valid_entry_name(entry)) {
        add(severity::error, "INVALID_NAME", p, key,
            "entry names are lower case letters, digits and '_' (1..64 chars)");
        continue;
      }
      const auto* tbl = node.as_table();
      if (!tbl) {
        add(severity::error, "TYPE_MISMATCH", p, key,
            "expected a table [" + key + "], found " + node_type_name(node));
        continue;
      }
      where[key] = p;
      walk_section(s, *tbl, key, s.entry_mut(cfg, entry));
    }
  }

  static bool valid_entry_name(const std::string& n) {
    if (n.empty() || n.size() > 64)
      return false;
    for (char ch : n)
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'))
        return false;
    return true;
  }

  void apply(const field_schema& f, const toml::node& node, const std::string& key, void* target) {
    source_position p = position_of(file_, node.source());
    auto v = read_value(f, node);
    if (!v.error.empty()) {
      add(severity::error, v.check, p, key, v.error);
      return;
    }
    f.set(target, *v.value);
    where[key] = p;
    written_here_.insert(file_ + "\n" + key);
  }

  void apply_deprecated() {
    for (const auto& d : deferred_) {
      if (!d.key->mapped) {
        add(severity::warning, d.key->check, d.pos, d.key->path,
            "removed and ignored; use " + d.key->replacement);
        continue;
      }
      if (written_here_.count(file_ + "\n" + d.key->replacement)) {
        add(severity::error, d.key->check, d.pos, d.key->path,
            "deprecated and conflicts with " + d.key->replacement + " set in the same file; remove it");
        continue;
      }
      auto dot = d.key->replacement.rfind('.');
      const auto* s = find_section(name_, d.key->replacement.substr(0, dot));
      const auto* f = s ? find_field(*s, d.key->replacement.substr(dot + 1)) : nullptr;
      if (!f)
        continue; // the table in schema.cpp is wrong; a test catches it
      add(severity::warning, d.key->check, d.pos, d.key->path,
          "deprecated; its value is used as " + d.key->replacement + ": rename it");
      apply(*f, *d.node, d.key->replacement, s->get_mut(cfg));
    }
  }
};

} // namespace

load_result load_config_layers(const std::vector<config_layer>& layers) {
  load_result r;
  if (layers.empty()) {
    r.issues.push_back({severity::error, "FILE_MISSING", "", 0, 0, "", "no configuration layer given"});
    r.unreadable = true;
    return r;
  }
  layer_loader l(layers.front().dir);
  for (std::size_t i = 0; i < layers.size(); ++i) {
    for (const auto& name : config_file_names()) {
      auto it = layers[i].files.find(name);
      if (it != layers[i].files.end()) {
        l.load_file(layers[i].dir, name, it->second, i == 0);
      } else if (i == 0) {
        l.issues.push_back({severity::error, "FILE_MISSING", display_path(layers[i].dir, name), 0, 0, "",
                            "required file missing"});
        r.unreadable = true;
      }
    }
  }
  for (const auto& s : schema()) {
    if (s.is_map)
      continue;
    for (const auto& f : s.fields) {
      std::string key = s.name + "." + f.key;
      if (f.required && l.where[key].line == 0 && !l.failed_files.count(s.file))
        l.issues.push_back({severity::error, "REQUIRED_KEY_MISSING", l.where[key].file, 0, 0, key,
                            "required key missing; add it under [" + s.name + "]"});
    }
  }
  if (!l.parse_failed && !r.unreadable)
    run_sanity_checks(l.cfg, l.where, l.issues);
  r.issues = std::move(l.issues);
  r.locations = std::move(l.where);
  if (count(r.issues, severity::error) == 0) {
    r.hash = config_hash(l.cfg);
    r.trading_hash = trading_hash(l.cfg);
    r.config = std::move(l.cfg);
  }
  return r;
}

load_result load_config_texts(const std::map<std::string, std::string>& files, std::string dir) {
  return load_config_layers({config_layer{std::move(dir), files}});
}

} // namespace trader::config
