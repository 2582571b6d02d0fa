#include "runtime/config/config_doc.hpp"

#include "runtime/config/sanity_checks.hpp"
#include "runtime/config/schema.hpp"

#include <sstream>

namespace trader::config {

namespace {

std::string range_of(const field_schema& f) {
  if (f.type == value_type::choice || f.type == value_type::choice_list) {
    std::string out;
    for (const auto& c : f.choices)
      out += (out.empty() ? "" : " \\| ") + ("`" + c + "`");
    return out;
  }
  if (!f.min && !f.max)
    return "";
  auto n = [](double d) { return render_value(config_value{d}); };
  return std::string(f.min_exclusive ? "(" : "[") + (f.min ? n(*f.min) : "") + ", " +
         (f.max ? n(*f.max) : "") + "]";
}

std::string cell(const std::string& s) {
  std::string out;
  for (char ch : s)
    out += ch == '|' ? std::string("\\|") : std::string(1, ch);
  return out;
}

const void* sample_entry(const section_schema& s, const trader_config& defaults, std::string& name) {
  auto names = s.entries(defaults);
  if (names.empty())
    return nullptr;
  name = names.front();
  return s.entry(defaults, name);
}

} // namespace

std::string render_reference_markdown() {
  std::ostringstream out;
  trader_config defaults;
  std::string file;
  for (const auto& s : schema()) {
    if (s.file != file) {
      file = s.file;
      out << "\n### " << file << "\n";
    }
    std::string title = s.is_map ? s.name + ".NAME" : s.name;
    out << "\n#### [" << title << "]\n\n" << s.doc << "\n";
    if (!s.actors.empty()) {
      out << "Read by:";
      for (const auto& a : s.actors)
        out << " `" << a << "`";
      out << ".\n";
    }
    const void* src = nullptr;
    std::string entry;
    if (s.is_map) {
      src = sample_entry(s, defaults, entry);
      out << "Defaults shown are those of the built-in entry `" << entry << "`.\n";
    } else {
      src = s.get(defaults);
    }
    out << "\n| key | type | default | range | unit | reload | meaning |\n"
        << "|---|---|---|---|---|---|---|\n";
    for (const auto& f : s.fields) {
      std::string def = src ? render_value(f.get(src)) : "";
      out << "| `" << f.key << "`" << (f.required ? " (required)" : "") << " | " << to_string(f.type)
          << " | `" << cell(def) << "` | " << range_of(f) << " | " << f.unit << " | "
          << (f.reloadable ? "yes" : "no") << " | " << cell(f.doc) << " |\n";
    }
  }
  out
    << "\n### Deprecated and removed keys\n\n| key | file | replacement | check | effect |\n|---|---|---|---|---|\n";
  for (const auto& d : deprecated_keys())
    out << "| `" << d.path << "` | " << d.file << " | `" << d.replacement << "` | " << d.check << " | "
        << (d.mapped ? "warning; value applied to the replacement (error if both are set)"
                     : "warning; ignored")
        << " |\n";
  out << "\n### Sanity checks\n\n| id | severity | catches |\n|---|---|---|\n";
  for (const auto& c : sanity_checks())
    out << "| " << c.id << " | " << to_string(c.level) << " | " << cell(c.summary) << " |\n";
  return out.str();
}

std::string splice_reference(const std::string& document) {
  const std::string begin = "<!-- BEGIN GENERATED";
  const std::string end = "<!-- END GENERATED -->";
  auto b = document.find(begin);
  if (b == std::string::npos)
    return document;
  auto b_end = document.find('\n', b);
  auto e = document.find(end, b);
  if (b_end == std::string::npos || e == std::string::npos)
    return document;
  return document.substr(0, b_end + 1) + render_reference_markdown() + "\n" + document.substr(e);
}

} // namespace trader::config
