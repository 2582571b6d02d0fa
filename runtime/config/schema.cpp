#include "runtime/config/schema.hpp"

#include "runtime/config/schema_builder.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace trader::config {

const char* to_string(value_type t) {
  switch (t) {
    case value_type::boolean: return "boolean";
    case value_type::integer: return "integer";
    case value_type::number: return "number";
    case value_type::string: return "string";
    case value_type::choice: return "choice";
    case value_type::string_list: return "string list";
    case value_type::choice_list: return "choice list";
  }
  return "?";
}

const std::vector<section_schema>& schema() {
  static const std::vector<section_schema> all = [] {
    std::vector<section_schema> out;
    out.reserve(32);
    detail::add_app_sections(out);
    detail::add_policy_sections(out);
    detail::add_market_sections(out);
    return out;
  }();
  return all;
}

const std::vector<deprecated_key>& deprecated_keys() {
  static const std::vector<deprecated_key> all = {
    {"policy.toml", "risk.max_exposure_pct", "risk.max_total_at_risk_pct", "DEPRECATED_EXPOSURE_KEY", true},
    {"policy.toml", "max_exposure_pct", "risk.max_total_at_risk_pct", "DEPRECATED_EXPOSURE_KEY", true},
    {"universe.toml", "universe.cache_ttl_seconds", "universe.refresh_interval_s", "REMOVED_CACHE_KEY",
     false},
    {"universe.toml", "cache_ttl_seconds", "universe.refresh_interval_s", "REMOVED_CACHE_KEY", false},
  };
  return all;
}

const section_schema* find_section(std::string_view file, std::string_view name) {
  for (const auto& s : schema())
    if (s.name == name && (file.empty() || s.file == file))
      return &s;
  return nullptr;
}

const field_schema* find_field(const section_schema& s, std::string_view key) {
  for (const auto& f : s.fields)
    if (f.key == key)
      return &f;
  return nullptr;
}

std::vector<std::pair<std::string, config_value>> flatten(const trader_config& c) {
  std::vector<std::pair<std::string, config_value>> out;
  for (const auto& s : schema()) {
    if (!s.is_map) {
      const void* p = s.get(c);
      for (const auto& f : s.fields)
        out.emplace_back(s.name + "." + f.key, f.get(p));
      continue;
    }
    for (const auto& entry : s.entries(c)) {
      const void* p = s.entry(c, entry);
      for (const auto& f : s.fields)
        out.emplace_back(s.name + "." + entry + "." + f.key, f.get(p));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char ch : s) {
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (ch < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", ch);
          out += buf;
        } else {
          out += static_cast<char>(ch);
        }
    }
  }
  return out + "\"";
}

std::string number(double d) {
  if (d == 0.0)
    d = 0.0; // -0 and 0 are the same setting
  char buf[64];
  if (std::abs(d) < 1e15 && d == std::floor(d)) // integral: "600000", not "6e+05"
    return std::to_string(static_cast<std::int64_t>(d));
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

} // namespace

std::string render_value(const config_value& v) {
  struct visitor {
    std::string operator()(bool b) const { return b ? "true" : "false"; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const { return number(d); }
    std::string operator()(const std::string& s) const { return quote(s); }
    std::string operator()(const std::vector<std::string>& l) const {
      std::string out = "[";
      for (std::size_t i = 0; i < l.size(); ++i)
        out += (i ? "," : "") + quote(l[i]);
      return out + "]";
    }
  };
  return std::visit(visitor{}, v);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::optional<std::string> closest(std::string_view key, const std::vector<std::string>& candidates) {
  std::size_t limit = std::max<std::size_t>(2, key.size() / 3);
  std::optional<std::string> best;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(key, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

namespace detail {

std::optional<std::string> check_url(const config_value& v, const std::vector<std::string>& schemes,
                                     bool allow_empty) {
  const auto& s = std::get<std::string>(v);
  if (s.empty())
    return allow_empty ? std::nullopt : std::optional<std::string>("must not be empty");
  for (const auto& scheme : schemes) {
    std::string prefix = scheme + "://";
    if (s.rfind(prefix, 0) == 0 && s.size() > prefix.size() && s.find(' ') == std::string::npos)
      return std::nullopt;
  }
  std::string list;
  for (const auto& scheme : schemes)
    list += (list.empty() ? "" : " or ") + scheme + "://";
  return "\"" + s + "\" is not a URL starting with " + list;
}

std::optional<std::string> check_host_port(const config_value& v) {
  const auto& s = std::get<std::string>(v);
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return "\"" + s + "\" is not host:port";
  auto port_text = s.substr(colon + 1);
  int port = 0;
  auto r = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (r.ec != std::errc{} || r.ptr != port_text.data() + port_text.size() || port < 1 || port > 65535)
    return "\"" + s + "\": port must be 1..65535";
  return std::nullopt;
}

std::optional<std::string> check_product_ids(const config_value& v) {
  for (const auto& id : std::get<std::vector<std::string>>(v)) {
    auto dash = id.find('-');
    bool ok = dash != std::string::npos && dash > 0 && dash + 1 < id.size() &&
              id.find('-', dash + 1) == std::string::npos;
    for (char ch : id)
      ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-');
    if (!ok)
      return "\"" + id + "\" is not a product id like \"BTC-USD\" (upper case BASE-QUOTE)";
  }
  return std::nullopt;
}

std::optional<std::string> check_not_empty(const config_value& v) {
  if (std::get<std::string>(v).empty())
    return "must not be empty";
  return std::nullopt;
}

} // namespace detail
} // namespace trader::config
