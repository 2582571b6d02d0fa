#pragma once
// Internal: helpers that bind a section struct's members into section_schema entries.
// Used only by the schema_*.cpp tables.

#include "runtime/config/schema.hpp"

#include <map>
#include <type_traits>

namespace trader::config::detail {

/// Options of one key; designated initialisers keep the tables readable.
struct field_opts {
  std::optional<double> min;
  std::optional<double> max;
  bool min_exclusive = false;
  bool percent = false;
  const char* unit = "";
  bool required = false;
  bool reloadable = true;
  std::vector<std::string> choices;
  std::function<std::optional<std::string>(const config_value&)> check;
};

/// A percentage in (0, 100].
inline field_opts pct(bool required = false) {
  return {
    .min = 0.0, .max = 100.0, .min_exclusive = true, .percent = true, .unit = "%", .required = required};
}
/// A percentage in [0, 100].
inline field_opts pct0() { return {.min = 0.0, .max = 100.0, .percent = true, .unit = "%"}; }
/// A value in [lo, hi] with unit.
inline field_opts in(double lo, double hi, const char* unit = "") {
  return {.min = lo, .max = hi, .unit = unit};
}

/// Appends fields bound to members of S to a section_schema.
template <class S> class fields_of {
public:
  explicit fields_of(section_schema& s) : s_(s) {}

  template <class T> fields_of& add(const char* key, T S::*member, const char* doc, const field_opts& o = {}) {
    field_schema f = base(key, doc, o);
    if constexpr (std::is_same_v<T, bool>)
      f.type = value_type::boolean;
    else if constexpr (std::is_same_v<T, std::int64_t>)
      f.type = value_type::integer;
    else if constexpr (std::is_same_v<T, double>)
      f.type = value_type::number;
    else if constexpr (std::is_same_v<T, std::string>)
      f.type = o.choices.empty() ? value_type::string : value_type::choice;
    else
      f.type = o.choices.empty() ? value_type::string_list : value_type::choice_list;
    f.get = [member](const void* p) { return config_value{static_cast<const S*>(p)->*member}; };
    f.set = [member](void* p, const config_value& v) { static_cast<S*>(p)->*member = std::get<T>(v); };
    s_.fields.push_back(std::move(f));
    return *this;
  }

  /// An enum member stored as one of `names` (index = enum value).
  template <class E>
  fields_of& add_enum(const char* key, E S::*member, const std::vector<std::string>& names, const char* doc,
                      const field_opts& o = {}) {
    field_schema f = base(key, doc, o);
    f.type = value_type::choice;
    f.choices = names;
    f.get = [member, names](const void* p) {
      return config_value{names.at(static_cast<std::size_t>(static_cast<const S*>(p)->*member))};
    };
    f.set = [member, names](void* p, const config_value& v) {
      for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == std::get<std::string>(v))
          static_cast<S*>(p)->*member = static_cast<E>(i);
    };
    s_.fields.push_back(std::move(f));
    return *this;
  }

private:
  static field_schema base(const char* key, const char* doc, const field_opts& o) {
    field_schema f;
    f.key = key;
    f.doc = doc;
    f.min = o.min;
    f.max = o.max;
    f.min_exclusive = o.min_exclusive;
    f.percent = o.percent;
    f.choices = o.choices;
    f.unit = o.unit;
    f.required = o.required;
    f.reloadable = o.reloadable;
    f.check = o.check;
    return f;
  }
  section_schema& s_;
};

/// Accessor of a direct member of trader_config, usable as a function pointer.
template <auto Member> auto& member(trader_config& c) { return c.*Member; }

/// A plain [name] section: the struct `acc` returns inside trader_config.
template <class S>
section_schema& add_section(std::vector<section_schema>& out, const char* file, const char* name,
                            S& (*acc)(trader_config&), const char* doc, std::vector<std::string> actors) {
  section_schema s;
  s.file = file;
  s.name = name;
  s.doc = doc;
  s.actors = std::move(actors);
  // acc never modifies; the const_cast only lets one accessor serve both getters.
  s.get = [acc](const trader_config& c) -> const void* { return &acc(const_cast<trader_config&>(c)); };
  s.get_mut = [acc](trader_config& c) -> void* { return &acc(c); };
  out.push_back(std::move(s));
  return out.back();
}

/// A [name.ENTRY] map held in trader_config::*member.
template <class E>
section_schema& add_map_section(std::vector<section_schema>& out, const char* file, const char* name,
                                std::map<std::string, E> trader_config::*member, const char* doc,
                                std::vector<std::string> actors) {
  section_schema s;
  s.file = file;
  s.name = name;
  s.doc = doc;
  s.is_map = true;
  s.actors = std::move(actors);
  s.entries = [member](const trader_config& c) {
    std::vector<std::string> names;
    for (const auto& [k, v] : c.*member)
      names.push_back(k);
    return names;
  };
  s.entry = [member](const trader_config& c, const std::string& n) -> const void* {
    auto i = (c.*member).find(n);
    return i == (c.*member).end() ? nullptr : &i->second;
  };
  s.entry_mut = [member](trader_config& c, const std::string& n) -> void* { return &(c.*member)[n]; };
  s.clear = [member](trader_config& c) { (c.*member).clear(); };
  out.push_back(std::move(s));
  return out.back();
}

// Format checks shared by the tables.
std::optional<std::string> check_url(const config_value& v, const std::vector<std::string>& schemes,
                                     bool allow_empty);
std::optional<std::string> check_host_port(const config_value& v);
std::optional<std::string> check_product_ids(const config_value& v);
std::optional<std::string> check_not_empty(const config_value& v);

void add_app_sections(std::vector<section_schema>& out);
void add_policy_sections(std::vector<section_schema>& out);
void add_market_sections(std::vector<section_schema>& out);

} // namespace trader::config::detail
