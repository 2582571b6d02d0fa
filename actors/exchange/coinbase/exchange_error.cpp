#include "actors/exchange/coinbase/exchange_error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <charconv>

namespace trader::exchange {

const char* to_string(error_kind k) {
  switch (k) {
    case error_kind::auth: return "auth";
    case error_kind::rate_limited: return "rate_limited";
    case error_kind::bad_request: return "bad_request";
    case error_kind::not_found: return "not_found";
    case error_kind::rejected: return "rejected";
    case error_kind::server: return "server";
    case error_kind::transport: return "transport";
    case error_kind::timeout: return "timeout";
    case error_kind::bad_reply: return "bad_reply";
    case error_kind::unresolved: return "unresolved";
  }
  return "unknown";
}

bool exchange_error::retryable() const {
  switch (kind) {
    case error_kind::rate_limited:
    case error_kind::server:
    case error_kind::timeout:
      return true;
    case error_kind::transport:
      // TLS and URL problems are configuration or an attack: retrying cannot help.
      return http_status == 0 && detail.rfind("tls_failed", 0) != 0 && detail.rfind("invalid_url", 0) != 0
             && detail.rfind("plaintext_refused", 0) != 0;
    case error_kind::auth:
    case error_kind::bad_request:
    case error_kind::not_found:
    case error_kind::rejected:
    case error_kind::bad_reply:
    case error_kind::unresolved:
      return false;
  }
  return false;
}

std::string exchange_error::context() const {
  return fmt::format("{} {} {} {}", endpoint.empty() ? "-" : endpoint, http_status, to_string(kind),
                     failure_reason.empty() ? "-" : failure_reason);
}

std::string exchange_error::describe() const {
  return detail.empty() ? context() : context() + ": " + detail;
}

namespace {

std::string str_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

/// A short, single-line excerpt of a non-JSON body (gateway pages, plain text).
std::string excerpt(std::string_view body) {
  std::string out;
  for (char c : body.substr(0, 160))
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

} // namespace

std::string failure_reason_of(std::string_view body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object())
    return {};
  for (const auto* obj : {&j, j.contains("error_response") && j["error_response"].is_object() ? &j["error_response"] : &j})
    for (const char* key : {"error", "failure_reason", "new_order_failure_reason", "preview_failure_reason"})
      if (auto v = str_field(*obj, key); !v.empty())
        return v;
  if (auto it = j.find("errors"); it != j.end() && it->is_array() && !it->empty() && (*it)[0].is_object())
    return str_field((*it)[0], "id");
  return {};
}

std::int64_t retry_after_ms_of(const net::http_response& r) {
  auto h = r.header("retry-after");
  if (!h)
    return -1;
  std::int64_t s = 0;
  auto [p, ec] = std::from_chars(h->data(), h->data() + h->size(), s);
  if (ec != std::errc{} || s < 0)
    return 1000;  // an HTTP date: we do not trust our clock against theirs; wait a second
  return s * 1000;
}

exchange_error from_http(std::string_view endpoint, const net::http_response& r) {
  exchange_error e;
  e.endpoint = std::string(endpoint);
  e.http_status = r.status;
  e.failure_reason = failure_reason_of(r.body);
  e.retry_after_ms = retry_after_ms_of(r);
  auto j = nlohmann::json::parse(r.body, nullptr, false);
  if (j.is_object()) {
    e.detail = str_field(j, "error_details");
    if (e.detail.empty())
      e.detail = str_field(j, "message");
    if (e.detail.empty() && j.contains("errors") && j["errors"].is_array() && !j["errors"].empty()
        && j["errors"][0].is_object())
      e.detail = str_field(j["errors"][0], "message");
  } else {
    e.detail = excerpt(r.body);
  }
  if (r.status == 401 || r.status == 403)
    e.kind = error_kind::auth;
  else if (r.status == 429)
    e.kind = error_kind::rate_limited;
  else if (r.status == 404)
    e.kind = error_kind::not_found;
  else if (r.status >= 500)
    e.kind = error_kind::server;
  else if (r.status >= 400)
    // A 4xx carrying a business reason (error_response) is a refusal, not a malformed call.
    e.kind = j.is_object() && j.contains("error_response") ? error_kind::rejected : error_kind::bad_request;
  else
    e.kind = error_kind::bad_reply;  // 1xx/3xx: nothing we asked for
  return e;
}

exchange_error from_transport(std::string_view endpoint, const net::transport_error& t) {
  exchange_error e;
  e.endpoint = std::string(endpoint);
  e.kind = t.code == net::transport_errc::timeout ? error_kind::timeout : error_kind::transport;
  e.detail = std::string(net::to_string(t.code)) + (t.detail.empty() ? "" : ": " + t.detail);
  return e;
}

exchange_error bad_reply(std::string_view endpoint, std::string_view field, std::string_view why) {
  exchange_error e;
  e.kind = error_kind::bad_reply;
  e.endpoint = std::string(endpoint);
  e.http_status = 200;
  e.detail = fmt::format("endpoint={} field={}: {}", endpoint, field, why);
  return e;
}

} // namespace trader::exchange
