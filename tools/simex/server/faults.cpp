#include "tools/simex/server/faults.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace trader::simex::transport {

namespace {

std::optional<fault_kind> kind_of(std::string_view s) {
  for (auto k : {fault_kind::http_429, fault_kind::http_5xx, fault_kind::latency,
                 fault_kind::reset, fault_kind::no_answer, fault_kind::drop_reply,
                 fault_kind::ws_stale})
    if (s == to_string(k))
      return k;
  return std::nullopt;
}

std::optional<fault_spec> from_json(const nlohmann::json& j, std::string& error) {
  if (!j.is_object()) {
    error = "fault spec must be a JSON object";
    return std::nullopt;
  }
  fault_spec f;
  auto kind = kind_of(j.value("kind", std::string()));
  if (!kind) {
    error = "unknown fault kind (http_429, http_5xx, latency, reset, no_answer, drop_reply, "
            "ws_stale)";
    return std::nullopt;
  }
  f.kind = *kind;
  f.method = j.value("method", std::string());
  f.path_prefix = j.value("path_prefix", std::string());
  f.duration_ms = j.value("duration_ms", std::int64_t{0});
  f.count = j.value("count", f.duration_ms > 0 ? -1 : 1);
  f.status = j.value("status", 503);
  f.latency_ms = j.value("latency_ms", 0);
  f.retry_after_s = j.value("retry_after_s", 1);
  f.rate_limit = j.value("rate_limit", 30);
  if (f.count == 0 || f.count < -1 || f.duration_ms < 0 || f.status < 100 || f.status > 599
      || f.latency_ms < 0) {
    error = "fault spec out of range";
    return std::nullopt;
  }
  if (f.kind == fault_kind::ws_stale && f.duration_ms <= 0) {
    error = "ws_stale needs duration_ms";
    return std::nullopt;
  }
  return f;
}

} // namespace

const char* to_string(fault_kind k) {
  switch (k) {
    case fault_kind::http_429:
      return "http_429";
    case fault_kind::http_5xx:
      return "http_5xx";
    case fault_kind::latency:
      return "latency";
    case fault_kind::reset:
      return "reset";
    case fault_kind::no_answer:
      return "no_answer";
    case fault_kind::drop_reply:
      return "drop_reply";
    case fault_kind::ws_stale:
      return "ws_stale";
  }
  return "?";
}

std::optional<fault_spec> parse_fault(std::string_view json, std::string& error) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded()) {
    error = "invalid JSON";
    return std::nullopt;
  }
  return from_json(j, error);
}

std::optional<std::vector<fault_spec>> parse_faults(std::string_view json, std::string& error) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (!j.is_array()) {
    error = "a fault scenario is a JSON array of fault specs";
    return std::nullopt;
  }
  std::vector<fault_spec> out;
  for (const auto& e : j) {
    auto f = from_json(e, error);
    if (!f)
      return std::nullopt;
    out.push_back(*f);
  }
  return out;
}

int fault_plan::add(const fault_spec& spec, mono_ns now) {
  int id = next_id_++;
  active_.push_back(entry{id, spec, spec.count,
                          spec.duration_ms > 0 ? now + spec.duration_ms * ns_per_ms : 0});
  return id;
}

void fault_plan::expire(mono_ns now) {
  active_.erase(std::remove_if(active_.begin(), active_.end(),
                               [&](const entry& e) {
                                 return e.remaining == 0 || (e.until != 0 && now >= e.until);
                               }),
                active_.end());
}

std::optional<fault_spec> fault_plan::take(std::string_view method, std::string_view path,
                                           mono_ns now) {
  if (active_.empty())
    return std::nullopt;
  expire(now);
  for (auto& e : active_) {
    if (e.spec.kind == fault_kind::ws_stale)
      continue;
    if (!e.spec.method.empty() && e.spec.method != method)
      continue;
    if (path.substr(0, e.spec.path_prefix.size()) != e.spec.path_prefix)
      continue;
    if (e.remaining > 0)
      --e.remaining;
    return e.spec;
  }
  return std::nullopt;
}

bool fault_plan::ws_stale(mono_ns now) {
  if (active_.empty())
    return false;
  expire(now);
  return std::any_of(active_.begin(), active_.end(),
                     [](const entry& e) { return e.spec.kind == fault_kind::ws_stale; });
}

std::string fault_plan::to_json(mono_ns now) const {
  auto arr = nlohmann::json::array();
  for (const auto& e : active_) {
    if (e.remaining == 0 || (e.until != 0 && now >= e.until))
      continue;
    arr.push_back({{"id", e.id},
                   {"kind", to_string(e.spec.kind)},
                   {"method", e.spec.method},
                   {"path_prefix", e.spec.path_prefix},
                   {"remaining", e.remaining},
                   {"remaining_ms", e.until == 0 ? -1 : (e.until - now) / ns_per_ms}});
  }
  return arr.dump();
}

} // namespace trader::simex::transport
