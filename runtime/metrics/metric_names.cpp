#include "runtime/metrics/metric_names.hpp"

#include <array>

namespace trader::metrics {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Units that are not base units, as they would appear as a name suffix.
constexpr std::array<std::string_view, 10> non_base_units{
  "_ms", "_milliseconds", "_us", "_microseconds", "_ns", "_nanoseconds", "_minutes", "_hours", "_kb", "_mb"};

} // namespace

bool valid_name_part(std::string_view s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z') || s.back() == '_')
    return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
    if (c == '_' && i + 1 < s.size() && s[i + 1] == '_')
      return false;
  }
  return true;
}

bool valid_label_name(std::string_view s) { return valid_name_part(s); }

std::string metric_name(std::string_view actor, std::string_view what) {
  std::string out = "trader_";
  out += actor;
  out += '_';
  out += what;
  return out;
}

std::string naming_problem(std::string_view name, metric_kind kind) {
  std::string n(name);
  if (!valid_name_part(name))
    return "metric name " + n + " is not [a-z][a-z0-9_]* (no __, no trailing _)";
  if (name.rfind("trader_", 0) != 0)
    return "metric name " + n + " must start with trader_";
  for (auto unit : non_base_units)
    for (auto tail : {std::string_view(""), std::string_view("_total"), std::string_view("_bucket")})
      if (ends_with(name, std::string(unit) + std::string(tail)))
        return "metric name " + n + " must use base units (seconds, bytes)";
  bool total = ends_with(name, "_total");
  switch (kind) {
    case metric_kind::counter:
      if (!total)
        return "counter " + n + " must end in _total";
      break;
    case metric_kind::gauge:
    case metric_kind::histogram:
      if (total)
        return n + " ends in _total but is not a counter";
      break;
    case metric_kind::info:
      if (!ends_with(name, "_info"))
        return "info metric " + n + " must end in _info";
      break;
  }
  return {};
}

} // namespace trader::metrics
