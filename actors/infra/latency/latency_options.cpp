#include "actors/infra/latency/latency_options.hpp"

#include <nlohmann/json.hpp>

namespace trader::latency {

namespace {

constexpr std::int64_t ns_per_ms = 1'000'000;

double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

} // namespace

std::vector<std::pair<std::string, latency_budget>> budgets_of(const options& o) {
  auto endpoint = [&](std::int64_t budget_ms) { return latency_budget{budget_ms * ns_per_ms, o.quantile, o.min_samples}; };
  // A decision cycle is rare (one a minute) and each overrun matters: every sample counts.
  latency_budget cycle{static_cast<std::int64_t>(o.cycle_budget_s * 1e9), 1.0, 1};
  return {
    {"rest:*", endpoint(o.rest_budget_ms)},
    {"ws:*", endpoint(o.ws_lag_budget_ms)},
    {"order_ack:*", endpoint(o.order_ack_budget_ms)},
    {"stage:order_ack", endpoint(o.order_ack_budget_ms)},
    {"stage:decision_cycle", cycle},
  };
}

std::string report_json(const std::vector<latency_summary>& summaries,
                        const std::map<std::string, std::uint64_t>& violations) {
  nlohmann::json out;
  auto& eps = out["endpoints"] = nlohmann::json::object();
  for (const auto& s : summaries) {
    auto v = violations.find(s.key);
    eps[s.key] = {{"count", s.window_count},
                  {"p50_ms", ms(s.p50_ns)},
                  {"p95_ms", ms(s.p95_ns)},
                  {"p99_ms", ms(s.p99_ns)},
                  {"max_ms", ms(s.max_ns)},
                  {"budget_ms", s.budget ? nlohmann::json(ms(s.budget->max_ns)) : nlohmann::json()},
                  {"quantile", s.budget ? nlohmann::json(s.budget->quantile) : nlohmann::json()},
                  {"violations", v == violations.end() ? 0 : v->second},
                  {"lifetime_count", s.lifetime_count},
                  {"lifetime_p50_ms", ms(s.lifetime_p50_ns)},
                  {"lifetime_p99_ms", ms(s.lifetime_p99_ns)}};
  }
  return out.dump();
}

} // namespace trader::latency
