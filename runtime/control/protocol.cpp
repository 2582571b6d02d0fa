#include "runtime/control/protocol.hpp"

#include <array>
#include <utility>

namespace trader::control {

namespace {

using nlohmann::json;

constexpr std::array<std::pair<error_code, std::string_view>, 8> error_names{{
  {error_code::bad_request, "bad_request"},
  {error_code::unsupported_version, "unsupported_version"},
  {error_code::unknown_command, "unknown_command"},
  {error_code::unauthorized, "unauthorized"},
  {error_code::timeout, "timeout"},
  {error_code::internal, "internal"},
  {error_code::unavailable, "unavailable"},
  {error_code::refused, "refused"},
}};

constexpr std::size_t max_cmd_bytes = 64;

/// Dumps without throwing on invalid UTF-8 (handlers may put raw bytes in strings).
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

/// Reads an integral JSON number that fits int64.
std::optional<std::int64_t> as_int64(const json& j) {
  if (j.is_number_integer() && !j.is_number_unsigned())
    return j.get<std::int64_t>();
  if (j.is_number_unsigned()) {
    auto u = j.get<std::uint64_t>();
    if (u <= static_cast<std::uint64_t>(INT64_MAX))
      return static_cast<std::int64_t>(u);
  }
  return std::nullopt;
}

bool valid_cmd_name(std::string_view s) {
  if (s.empty() || s.size() > max_cmd_bytes)
    return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok)
      return false;
  }
  return true;
}

parsed_request refuse(parsed_request p, error_code code, std::string message) {
  p.req.reset();
  p.err = error{code, std::move(message)};
  return p;
}

} // namespace

std::string_view to_string(error_code c) {
  for (const auto& [code, name] : error_names)
    if (code == c)
      return name;
  return "internal";
}

std::optional<error_code> parse_error_code(std::string_view s) {
  for (const auto& [code, name] : error_names)
    if (name == s)
      return code;
  return std::nullopt;
}

reply reply::success(nlohmann::json result) {
  reply r;
  r.ok = true;
  r.result = result.is_object() ? std::move(result) : json{{"value", std::move(result)}};
  return r;
}

reply reply::failure(error_code code, std::string message) {
  reply r;
  r.ok = false;
  r.err = error{code, std::move(message)};
  return r;
}

std::string serialize(const request& r) {
  json j{{"v", protocol_version}, {"id", r.id}, {"cmd", r.cmd}, {"args", r.args.is_object() ? r.args : json::object()}};
  return dump(j);
}

std::string serialize(const response& r) {
  json j = json::object();
  j["v"] = protocol_version;
  j["id"] = r.id ? json(*r.id) : json(nullptr);
  j["ok"] = r.body.ok;
  if (r.body.ok)
    j["result"] = r.body.result.is_object() ? r.body.result : json::object();
  else
    j["error"] = json{{"code", to_string(r.body.err.code)}, {"message", r.body.err.message}};
  return dump(j);
}

parsed_request parse_request(std::string_view line) {
  parsed_request p;
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  if (line.size() > max_line_bytes)
    return refuse(std::move(p), error_code::bad_request,
                  "line longer than " + std::to_string(max_line_bytes) + " bytes");
  json j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded())
    return refuse(std::move(p), error_code::bad_request, "not valid JSON");
  if (!j.is_object())
    return refuse(std::move(p), error_code::bad_request, "request must be a JSON object");
  auto id_it = j.find("id");
  if (id_it == j.end())
    return refuse(std::move(p), error_code::bad_request, "missing \"id\"");
  p.id = as_int64(*id_it);
  if (!p.id)
    return refuse(std::move(p), error_code::bad_request, "\"id\" must be an integer");
  auto v_it = j.find("v");
  if (v_it == j.end())
    return refuse(std::move(p), error_code::bad_request, "missing \"v\"");
  auto v = as_int64(*v_it);
  if (!v)
    return refuse(std::move(p), error_code::bad_request, "\"v\" must be an integer");
  if (*v != protocol_version)
    return refuse(std::move(p), error_code::unsupported_version,
                  "protocol version " + std::to_string(*v) + " not supported; this daemon speaks "
                    + std::to_string(protocol_version));
  auto cmd_it = j.find("cmd");
  if (cmd_it == j.end() || !cmd_it->is_string())
    return refuse(std::move(p), error_code::bad_request, "\"cmd\" must be a string");
  const auto& cmd = cmd_it->get_ref<const std::string&>();
  if (!valid_cmd_name(cmd))
    return refuse(std::move(p), error_code::bad_request,
                  "\"cmd\" must be 1-64 characters of [a-z0-9_.-]");
  request r;
  r.id = *p.id;
  r.cmd = cmd;
  auto args_it = j.find("args");
  if (args_it != j.end() && !args_it->is_null()) {
    if (!args_it->is_object())
      return refuse(std::move(p), error_code::bad_request, "\"args\" must be an object");
    r.args = std::move(*args_it);
  }
  p.req = std::move(r);
  return p;
}

bool parse_response(std::string_view line, response& out, std::string& why) {
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  json j = json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    why = "response is not a JSON object";
    return false;
  }
  auto v = j.contains("v") ? as_int64(j["v"]) : std::nullopt;
  if (!v || *v != protocol_version) {
    why = "response has an unsupported protocol version";
    return false;
  }
  response r;
  if (!j.contains("id") || j["id"].is_null())
    r.id.reset();
  else if (auto id = as_int64(j["id"]))
    r.id = *id;
  else {
    why = "response id is not an integer";
    return false;
  }
  if (!j.contains("ok") || !j["ok"].is_boolean()) {
    why = "response has no boolean \"ok\"";
    return false;
  }
  if (j["ok"].get<bool>()) {
    auto res = j.contains("result") ? j["result"] : json::object();
    if (!res.is_object()) {
      why = "response result is not an object";
      return false;
    }
    r.body = reply::success(std::move(res));
  } else {
    const auto& e = j.contains("error") ? j["error"] : json();
    if (!e.is_object() || !e.contains("code") || !e["code"].is_string()) {
      why = "error response without an error code";
      return false;
    }
    auto code_text = e["code"].get<std::string>();
    auto msg = e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
    // A newer daemon may send a code we do not know: keep its text in the message.
    auto code = parse_error_code(code_text);
    r.body = reply::failure(code.value_or(error_code::internal), code ? msg : code_text + ": " + msg);
  }
  out = std::move(r);
  return true;
}

response error_response(std::optional<std::int64_t> id, error err) {
  response r;
  r.id = id;
  r.body = reply::failure(err.code, std::move(err.message));
  return r;
}

} // namespace trader::control
