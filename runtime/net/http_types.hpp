#pragma once
// Types shared by the HTTPS and WebSocket clients: URLs, options, typed transport errors,
// requests and responses. No Boost here (the clients keep Beast behind a pimpl).

#include "runtime/result.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trader::net {

/// Why a request or connection failed before an HTTP status was read.
enum class transport_errc {
  invalid_url,        ///< unparseable URL or unsupported scheme
  plaintext_refused,  ///< http:// or ws:// to a host that is not loopback (never connected)
  resolve_failed,     ///< DNS lookup failed
  connect_failed,     ///< TCP connect refused / unreachable
  tls_failed,         ///< handshake or certificate verification failed (detail says why)
  timeout,            ///< connect, handshake, write or read deadline passed
  reset,              ///< connection reset by peer / broken pipe
  closed,             ///< peer closed the connection (EOF) before a complete answer
  protocol_error,     ///< malformed HTTP or WebSocket data, body too large
};

/// "tls_failed", ... (stable ids for logs and metrics).
const char* to_string(transport_errc e);

/// A transport failure with a human-readable detail (e.g. "certificate has expired").
struct transport_error {
  transport_errc code;
  std::string detail;
};

/// A value or a transport_error.
template <class T>
using result = trader::result<T, transport_error>;

using header_list = std::vector<std::pair<std::string, std::string>>;

/// A request relative to the client's base URL.
struct http_request {
  std::string method = "GET";
  std::string target = "/";  ///< path and query, e.g. "/api/v3/brokerage/orders?limit=5"
  header_list headers;       ///< extra headers (Authorization, Content-Type, ...)
  std::string body;
  /// Called (on the caller's thread) once the whole request is written on the socket, before
  /// the answer is read; once per write (an idempotent request retried on a fresh connection
  /// calls it again). Empty = nothing. The orders actor times tick_to_order with it.
  std::function<void()> on_written = {};
};

/// A complete HTTP answer (any status).
struct http_response {
  int status = 0;
  header_list headers;
  std::string body;
  /// First header with this name (case-insensitive), or nullopt.
  std::optional<std::string_view> header(std::string_view name) const;
};

/// TLS policy: verification is always on for https/wss.
struct tls_options {
  std::string ca_file;  ///< PEM bundle to trust; "" = the system CA store
};

/// Client settings.
struct client_options {
  tls_options tls;
  std::chrono::milliseconds connect_timeout{5000};  ///< TCP connect + TLS handshake (+ WS handshake)
  std::chrono::milliseconds request_timeout{10000};  ///< write + read of one request
  std::chrono::milliseconds max_idle{50000};  ///< a kept-alive connection idle longer is reopened
  std::string user_agent = "247trader";
  std::size_t max_body = 64u << 20;  ///< larger responses / WS messages are a protocol_error
};

/// A parsed http(s)/ws(s) URL.
struct url_parts {
  std::string scheme;  ///< "http", "https", "ws", "wss"
  std::string host;    ///< without brackets for IPv6
  std::uint16_t port = 0;
  std::string target;  ///< path (+ query); "/" when empty
  bool tls = false;
  /// "host" or "host:port" (port omitted when default), "[::1]:port" for IPv6: the Host
  /// header and the host part of a JWT `uri`.
  std::string host_header() const;
};

/// Parses scheme://host[:port][/path]; the error names what is wrong and quotes the URL.
trader::result<url_parts, std::string> parse_url(std::string_view url);

/// True for "localhost", 127.0.0.0/8 and ::1 (string checks only: never resolves).
bool is_loopback_host(std::string_view host);

/// The policy check every client applies before connecting: a supported scheme and, for
/// plaintext (http/ws), a loopback host. nullopt = allowed.
std::optional<transport_error> check_url_policy(const url_parts& u);

} // namespace trader::net
