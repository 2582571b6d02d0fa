#include "runtime/config/toml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

namespace trader::config {

std::string node_type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: return "nothing";
  }
  return "an unknown value";
}

namespace {

read_outcome fail(std::string check, std::string msg) {
  return {std::nullopt, std::move(check), std::move(msg)};
}

std::string fmt(double d) { return render_value(config_value{d}); }

std::string range_text(const field_schema& f) {
  std::string lo = f.min ? fmt(*f.min) : "-inf";
  std::string hi = f.max ? fmt(*f.max) : "inf";
  return std::string(f.min_exclusive ? "(" : "[") + lo + ", " + hi + "]" +
         (f.unit.empty() ? "" : " " + f.unit);
}

std::optional<read_outcome> check_range(const field_schema& f, double v, const std::string& shown) {
  if (!std::isfinite(v))
    return fail("OUT_OF_RANGE", shown + " is not a finite number; range " + range_text(f));
  if (f.percent && v < 0)
    return fail("NEGATIVE_PCT", shown +
                                  " is negative: percentages and bps are positive magnitudes "
                                  "(write " +
                                  fmt(-v) + ")");
  bool low = f.min && (f.min_exclusive ? v <= *f.min : v < *f.min);
  bool high = f.max && v > *f.max;
  if (low || high)
    return fail("OUT_OF_RANGE", shown + " is out of range " + range_text(f));
  return std::nullopt;
}

bool looks_like_pem_key(const std::string& s) { return s.find("PRIVATE KEY-----") != std::string::npos; }

std::string choices_text(const field_schema& f) {
  std::string out;
  for (const auto& c : f.choices)
    out += (out.empty() ? "" : ", ") + c;
  return out;
}

std::optional<read_outcome> check_choice(const field_schema& f, const std::string& s) {
  for (const auto& c : f.choices)
    if (c == s)
      return std::nullopt;
  std::string hint;
  for (const auto& c : f.choices) {
    if (c.size() == s.size() && std::equal(c.begin(), c.end(), s.begin(),
                                           [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
      hint = c;
  }
  if (hint.empty())
    if (auto near = closest(s, f.choices))
      hint = *near;
  return fail("INVALID_CHOICE", "\"" + s + "\" is not one of " + choices_text(f) +
                                  (hint.empty() ? "" : "; did you mean \"" + hint + "\"?"));
}

} // namespace

read_outcome read_value(const field_schema& f, const toml::node& node) {
  config_value v;
  switch (f.type) {
    case value_type::boolean: {
      auto b = node.value_exact<bool>();
      if (!b)
        return fail("TYPE_MISMATCH", "expected a boolean (true/false), found " + node_type_name(node));
      v = *b;
      break;
    }
    case value_type::integer: {
      auto i = node.value_exact<std::int64_t>();
      if (!i)
        return fail("TYPE_MISMATCH", "expected an integer, found " + node_type_name(node));
      if (auto bad = check_range(f, static_cast<double>(*i), std::to_string(*i)))
        return *bad;
      v = *i;
      break;
    }
    case value_type::number: {
      double d = 0;
      if (auto i = node.value_exact<std::int64_t>())
        d = static_cast<double>(*i);
      else if (auto x = node.value_exact<double>())
        d = *x;
      else
        return fail("TYPE_MISMATCH", "expected a number, found " + node_type_name(node));
      if (auto bad = check_range(f, d, fmt(d)))
        return *bad;
      v = d;
      break;
    }
    case value_type::string:
    case value_type::choice: {
      auto s = node.value_exact<std::string>();
      if (!s)
        return fail("TYPE_MISMATCH", "expected a string, found " + node_type_name(node));
      if (looks_like_pem_key(*s))
        return fail("SECRET_IN_CONFIG", "value looks like a private key; secrets never go in TOML");
      if (f.type == value_type::choice)
        if (auto bad = check_choice(f, *s))
          return *bad;
      v = *s;
      break;
    }
    case value_type::string_list:
    case value_type::choice_list: {
      const auto* arr = node.as_array();
      if (!arr)
        return fail("TYPE_MISMATCH", "expected an array of strings, found " + node_type_name(node));
      std::vector<std::string> list;
      for (std::size_t i = 0; i < arr->size(); ++i) {
        auto s = (*arr)[i].value_exact<std::string>();
        if (!s)
          return fail("TYPE_MISMATCH", "element " + std::to_string(i) + ": expected a string, found " +
                                         node_type_name((*arr)[i]));
        if (f.type == value_type::choice_list)
          if (auto bad = check_choice(f, *s)) {
            bad->error = "element " + std::to_string(i) + ": " + bad->error;
            return *bad;
          }
        list.push_back(*s);
      }
      v = std::move(list);
      break;
    }
  }
  if (f.check)
    if (auto msg = f.check(v))
      return fail("INVALID_VALUE", *msg);
  return {std::move(v), "", ""};
}

} // namespace trader::config
