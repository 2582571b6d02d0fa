// The admin port (loopback only): health, ports, stats, fault rules (installed into the
// backend's fault plan), WS faults, the stepped clock; anything else goes to the backend
// (engine test helpers).
#include "tools/simex/server/faults.hpp"
#include "tools/simex/server/server_impl.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/logger.h>

namespace trader::simex::transport {

namespace {

void json_reply(reply& out, int status, const nlohmann::json& j) {
  out.status = status;
  out.body = j.dump();
}

void error_reply(reply& out, int status, std::string_view message) {
  json_reply(out, status, {{"error", status == 404 ? "NOT_FOUND" : "INVALID_ARGUMENT"}, {"message", message}});
}

} // namespace

std::string server::impl::stats_json() const {
  nlohmann::json j{{"http_connections", stats.http_connections},
                   {"ws_connections", stats.ws_connections},
                   {"ws_open", stats.ws_open},
                   {"rest_requests", stats.rest_requests},
                   {"admin_requests", stats.admin_requests},
                   {"ws_frames_in", stats.ws_frames_in},
                   {"ws_frames_out", stats.ws_frames_out},
                   {"ws_slow_disconnects", stats.ws_slow_disconnects},
                   {"ws_deadline_disconnects", stats.ws_deadline_disconnects}};
  auto& by_status = j["by_status"] = nlohmann::json::object();
  for (const auto& [code, n] : stats.by_status)
    by_status[std::to_string(code)] = n;
  j["auth_rejected"] = nlohmann::json::object();
  for (const auto& [k, n] : stats.auth_rejected)
    j["auth_rejected"][k] = n;
  j["by_key"] = nlohmann::json::object();
  for (const auto& [k, n] : stats.by_key)
    j["by_key"][k] = n;
  j["faults"] = nlohmann::json::object();
  for (const auto& [k, n] : stats.faults)
    j["faults"][k] = n;
  return j.dump();
}

void server::impl::handle_admin(const request_view& req, reply& out) {
  auto is = [&](std::string_view method, std::string_view path) {
    return req.method == method && req.path == path;
  };
  if (is("GET", "/health")) {
    json_reply(out, 200, {{"ok", true}});
  } else if (is("GET", "/ports")) {
    json_reply(out, 200, nlohmann::json::parse(ports.to_json(tls.has_value())));
  } else if (is("GET", "/stats")) {
    out.body = stats_json();
  } else if (is("GET", "/faults")) {
    out.body = faults_json(be->faults(), clock.now());
  } else if (is("DELETE", "/faults") || is("POST", "/faults/clear")) {
    be->faults().clear_installed();
    json_reply(out, 200, {{"cleared", true}});
  } else if (is("POST", "/faults")) {
    std::string err;
    auto rules = parse_fault_specs(req.body, err);
    if (!rules)
      return error_reply(out, 400, err);
    auto ids = nlohmann::json::array();
    for (auto& r : *rules)
      ids.push_back(be->faults().install(std::move(r), clock.now()));
    auto body = req.body.substr(std::min(req.body.find_first_not_of(" \t\r\n"), req.body.size()));
    if (body.starts_with('['))
      json_reply(out, 200, {{"ids", ids}});
    else
      json_reply(out, 200, {{"id", ids[0]}});
    log->info("event=fault_installed body={}", req.body);
  } else if (is("POST", "/scenario")) {  // TOML [[fault]] tables replace the scenario
    std::string err;
    auto plan = fault_plan::from_toml(req.body, err);
    if (!plan)
      return error_reply(out, 400, err);
    const auto n = plan->rules().size();
    be->faults().load_scenario(std::move(*plan), clock.now());
    json_reply(out, 200, {{"rules", n}});
    log->info("event=scenario_loaded rules={}", n);
  } else if (is("DELETE", "/scenario")) {
    be->faults().clear_scenario();
    json_reply(out, 200, {{"cleared", true}});
  } else if (is("POST", "/ws/drop")) {
    std::size_t n = 0;
    for (auto& [id, weak] : std::unordered_map(ws_peers))
      if (auto peer = weak.lock()) {
        peer->drop();
        ++n;
      }
    json_reply(out, 200, {{"dropped", n}});
  } else if (is("POST", "/ws/gap")) {
    std::size_t n = 0;
    for (auto& [id, weak] : ws_peers)
      if (auto peer = weak.lock()) {
        peer->gap();
        ++n;
      }
    json_reply(out, 200, {{"connections", n}});
  } else if (is("POST", "/ws/flood")) {  // benchmark helper
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    auto n = j.is_object() ? j.value("messages", std::uint64_t{100000}) : 100000;
    auto size = j.is_object() ? j.value("size", std::size_t{300}) : 300;
    std::size_t conns = 0;
    for (auto& [id, weak] : std::unordered_map(ws_peers))
      if (auto peer = weak.lock()) {
        peer->flood(n, size);
        ++conns;
      }
    json_reply(out, 200, {{"connections", conns}, {"messages", n}});
  } else if (is("POST", "/ws/stale")) {  // the whole feed stops: stale_quotes on channel "*"
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    fault_rule r;
    r.kind = fault_kind::stale_quotes;
    r.label = "ws_stale";
    r.channel = "*";
    const std::int64_t ms = j.is_object() ? j.value("duration_ms", std::int64_t{5000}) : 5000;
    if (ms <= 0)
      return error_reply(out, 400, "duration_ms must be positive");
    r.duration = ms * ns_per_ms;
    json_reply(out, 200, {{"id", be->faults().install(std::move(r), clock.now())}, {"duration_ms", ms}});
  } else if (is("GET", "/clock")) {
    json_reply(out, 200, {{"now_ns", clock.now()}, {"mode", clock.mode() == clock_mode::real ? "real"
                                                            : clock.mode() == clock_mode::accelerated
                                                              ? "accelerated"
                                                              : "stepped"}});
  } else if (is("POST", "/clock/advance")) {
    if (clock.mode() != clock_mode::stepped)
      return error_reply(out, 409, "clock is not in stepped mode");
    auto j = nlohmann::json::parse(req.body, nullptr, false);
    std::int64_t ms = j.is_object() ? j.value("ms", std::int64_t{0}) : 0;
    if (ms <= 0 || ms > std::int64_t{7} * 24 * 3600 * 1000)
      return error_reply(out, 400, "ms must be in (0, 1 week]");
    // Walk second by second so heartbeats and GTD expiries happen at every crossed second.
    auto target = clock.now() + ms * ns_per_ms;
    while (clock.now() < target) {
      auto next = std::min(target, (clock.now() / ns_per_s + 1) * ns_per_s);
      clock.advance(next - clock.now());
      step_all(false);
    }
    json_reply(out, 200, {{"now_ns", clock.now()}});
  } else if (is("POST", "/shutdown")) {
    json_reply(out, 200, {{"stopping", true}});
    boost::asio::post(ioc, [this] { shut_down(); });
  } else if (!be->admin(req, clock.now(), out)) {
    error_reply(out, 404, "unknown admin endpoint");
  }
}

} // namespace trader::simex::transport
