// TOML scenario files for fault_plan (kept apart: toml++ is a heavy header).

#include "tools/simex/engine/fault_plan.hpp"

#include <toml++/toml.h>

namespace trader::simex {

std::optional<fault_plan> fault_plan::from_toml(std::string_view text, std::string& error) {
  toml::table doc;
  try {
    doc = toml::parse(text);
  } catch (const toml::parse_error& e) {
    error = std::string{e.description()};
    return std::nullopt;
  }
  fault_plan plan;
  const toml::array* faults = doc["fault"].as_array();
  if (faults == nullptr)
    return plan;
  std::size_t i = 0;
  for (const auto& node : *faults) {
    ++i;
    const toml::table* t = node.as_table();
    auto where = "fault[" + std::to_string(i) + "]";
    if (t == nullptr) {
      error = where + ": not a table";
      return std::nullopt;
    }
    fault_rule r;
    auto kind = (*t)["kind"].value<std::string>();
    if (!kind || !parse_fault_kind(*kind, r.kind)) {
      error = where + ".kind: unknown fault kind '" + kind.value_or("") + "'";
      return std::nullopt;
    }
    auto seconds = [&](const char* key) -> ts_ns {
      if (auto v = (*t)[key].value<double>())
        return static_cast<ts_ns>(*v * 1e9);
      return 0;
    };
    r.start = seconds("start_s");
    r.duration = seconds("duration_s");
    r.method = (*t)["method"].value_or(std::string{});
    r.path = (*t)["path"].value_or(std::string{});
    r.channel = (*t)["channel"].value_or(std::string{});
    r.product_id = (*t)["product_id"].value_or(std::string{});
    r.count = (*t)["count"].value_or(std::int64_t{-1});
    r.every = (*t)["every"].value_or(std::int64_t{1});
    r.status = static_cast<int>((*t)["status"].value_or(std::int64_t{0}));
    r.latency = (*t)["latency_ms"].value_or(std::int64_t{0}) * ns_per_ms;
    r.retry_after_s = (*t)["retry_after_s"].value_or(std::int64_t{1});
    r.rate_limit = (*t)["rate_limit"].value_or(std::int64_t{30});
    r.pct = (*t)["pct"].value_or(20.0);
    if (auto s = (*t)["to_status"].value<std::string>(); s && !parse_product_status(*s, r.to_status)) {
      error = where + ".to_status: unknown status '" + *s + "'";
      return std::nullopt;
    }
    if (r.every < 1 || r.start < 0 || r.duration < 0) {
      error = where + ": every must be >= 1, start_s and duration_s >= 0";
      return std::nullopt;
    }
    if ((r.kind == fault_kind::bad_tick || r.kind == fault_kind::status_flip) && r.product_id.empty()
        && r.kind == fault_kind::status_flip) {
      error = where + ".product_id: required for status_flip";
      return std::nullopt;
    }
    plan.add(std::move(r));
  }
  return plan;
}

} // namespace trader::simex
