#include "tools/simex/server/faults.hpp"

#include <nlohmann/json.hpp>

namespace trader::simex::transport {

namespace {

/// The admin port's names for engine kinds (docs/net.md), besides the engine's own.
struct alias {
  std::string_view name;
  fault_kind kind;
};
constexpr alias aliases[] = {{"http_429", fault_kind::rate_limit},     {"http_5xx", fault_kind::server_error},
                             {"reset", fault_kind::connection_reset}, {"drop_reply", fault_kind::reply_lost},
                             {"ws_stale", fault_kind::stale_quotes}};

std::optional<fault_rule> from_json(const nlohmann::json& j, std::string& error) {
  if (!j.is_object()) {
    error = "fault spec must be a JSON object";
    return std::nullopt;
  }
  fault_rule r;
  const auto kind = j.value("kind", std::string());
  bool known = parse_fault_kind(kind, r.kind);
  for (const auto& a : aliases)
    if (!known && kind == a.name) {
      r.kind = a.kind;
      known = true;
    }
  if (!known) {
    error = "unknown fault kind '" + kind + "' (http_429, http_5xx, latency, reset, no_answer, drop_reply, "
            "ws_stale, or a scenario kind of docs/simex.md)";
    return std::nullopt;
  }
  r.label = kind;
  auto ms = [&](const char* ms_key, const char* s_key) -> ts_ns {
    if (j.contains(ms_key))
      return j.value(ms_key, std::int64_t{0}) * ns_per_ms;
    return static_cast<ts_ns>(j.value(s_key, 0.0) * 1e9);
  };
  r.start = ms("start_ms", "start_s");
  r.duration = ms("duration_ms", "duration_s");
  r.method = j.value("method", std::string());
  r.path = j.contains("path_prefix") ? j.value("path_prefix", std::string()) : j.value("path", std::string());
  r.channel = j.value("channel", std::string());
  r.product_id = j.value("product_id", std::string());
  r.count = j.value("count", std::int64_t{r.duration > 0 ? -1 : 1});
  r.every = j.value("every", std::int64_t{1});
  r.status = j.value("status", r.kind == fault_kind::server_error ? 503 : 0);
  r.latency = j.value("latency_ms", std::int64_t{0}) * ns_per_ms;
  r.retry_after_s = j.value("retry_after_s", std::int64_t{1});
  r.rate_limit = j.value("rate_limit", std::int64_t{30});
  r.pct = j.value("pct", 20.0);
  if (auto s = j.value("to_status", std::string()); !s.empty() && !parse_product_status(s, r.to_status)) {
    error = "unknown to_status '" + s + "'";
    return std::nullopt;
  }
  if (r.count == 0 || r.count < -1 || r.every < 1 || r.start < 0 || r.duration < 0
      || (r.status != 0 && (r.status < 100 || r.status > 599)) || r.latency < 0) {
    error = "fault spec out of range";
    return std::nullopt;
  }
  if (kind == "ws_stale") {
    if (r.duration <= 0) {
      error = "ws_stale needs duration_ms";
      return std::nullopt;
    }
    r.channel = "*";
  }
  if (r.kind == fault_kind::status_flip && r.product_id.empty()) {
    error = "status_flip needs product_id";
    return std::nullopt;
  }
  return r;
}

} // namespace

std::optional<std::vector<fault_rule>> parse_fault_specs(std::string_view json, std::string& error) {
  auto j = nlohmann::json::parse(json, nullptr, false);
  if (j.is_discarded()) {
    error = "invalid JSON";
    return std::nullopt;
  }
  std::vector<fault_rule> out;
  if (!j.is_array()) {
    auto r = from_json(j, error);
    if (!r)
      return std::nullopt;
    out.push_back(std::move(*r));
    return out;
  }
  for (const auto& e : j) {
    auto r = from_json(e, error);
    if (!r)
      return std::nullopt;
    out.push_back(std::move(*r));
  }
  return out;
}

std::string faults_json(const fault_plan& plan, ts_ns now) {
  auto arr = nlohmann::json::array();
  for (const auto& r : plan.rules()) {
    if (!plan.live(r, now))
      continue;
    const ts_ns end = plan.window_end(r);
    const bool counted = r.kind != fault_kind::stale_quotes && r.count >= 0;
    arr.push_back({{"id", r.id},
                   {"kind", name_of(r)},
                   {"source", r.id != 0 ? "admin" : "scenario"},
                   {"method", r.method},
                   {"path_prefix", r.path},
                   {"channel", r.channel},
                   {"product_id", r.product_id},
                   {"remaining", counted ? r.count - r.fired : -1},
                   {"remaining_ms", end == 0 ? -1 : (end - now) / ns_per_ms}});
  }
  return arr.dump();
}

std::string disorder_fills(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("fills") || !j["fills"].is_array())
    return std::string{body};
  auto withheld = [](const nlohmann::json& f) {
    if (!f.is_object() || !f.contains("trade_id") || !f["trade_id"].is_string())
      return false;
    std::uint64_t h = 14695981039346656037ull;  // FNV-1a: the same trade id always the same way
    for (unsigned char c : f["trade_id"].get<std::string>())
      h = (h ^ c) * 1099511628211ull;
    return (h & 1u) != 0;
  };
  auto kept = nlohmann::json::array();
  for (const auto& f : j["fills"])
    if (!withheld(f))
      kept.push_back(f);
  auto out = nlohmann::json::array();
  for (auto it = kept.rbegin(); it != kept.rend(); ++it)
    out.push_back(*it);
  for (std::size_t i = 0; i < kept.size(); ++i)
    out.push_back(kept[(i + kept.size() / 2) % kept.size()]);  // the copies in another order again
  j["fills"] = std::move(out);
  return j.dump();
}

fault_step carry_out(rest_decision& d, reply& out) {
  using act = rest_decision::action;
  switch (d.act) {
    case act::pass:
      return fault_step::process;
    case act::respond:
      out.status = d.status;
      out.body = std::move(d.body);
      for (auto& [name, value] : d.headers) {
        if (name == "Content-Type" || name == "content-type")
          out.content_type = std::move(value);
        else
          out.headers.emplace_back(std::move(name), std::move(value));
      }
      return fault_step::answer;
    case act::delay:
      return fault_step::process_later;
    case act::reset:
      return fault_step::reset;
    case act::no_answer:
      return fault_step::hold;
    case act::drop_reply:
      return fault_step::process_then_reset;
    case act::messy_fills:
      return fault_step::process_then_mangle;
  }
  return fault_step::process;
}

} // namespace trader::simex::transport
