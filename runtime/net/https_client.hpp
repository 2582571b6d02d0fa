#pragma once
// A blocking HTTP/1.1 client for one origin (scheme://host:port) with keep-alive reuse,
// deadlines and verified TLS.
//
// Threading: NOT for a CAF scheduler thread. Every call blocks until the answer, a timeout
// or an error, so the exchange actors run it on a dedicated thread (a detached actor or a
// worker std::thread). One client per thread; it is not thread-safe. Internally it drives
// Beast's asynchronous operations on a private io_context so that connect, handshake,
// write and read all have real deadlines.
//
// TLS: peer verification is always on (system CA store or tls_options::ca_file), SNI is
// sent for DNS names and the certificate must match the host (host_name_verification).
// Plain http:// is refused unless the host is loopback; the check runs before any connect.

#include "runtime/net/http_types.hpp"

#include <memory>

namespace trader::net {

/// One origin, one kept-alive connection, reopened when needed.
class https_client {
public:
  /// base_url: "https://api.coinbase.com" or "http://127.0.0.1:8080" (a path is ignored).
  explicit https_client(std::string_view base_url, client_options opts = {});
  ~https_client();
  https_client(const https_client&) = delete;
  https_client& operator=(const https_client&) = delete;

  /// Sends req and reads the whole answer. A stale kept-alive connection is detected
  /// before use; an idempotent request (GET/HEAD/DELETE) whose reused connection turned
  /// out closed is retried once on a fresh one, never a POST.
  result<http_response> request(const http_request& req);
  result<http_response> get(std::string target, header_list headers = {});
  result<http_response> post(std::string target, std::string body, header_list headers = {});

  /// "host[:port]" as sent in Host: also the host of a JWT `uri` claim.
  std::string host_header() const;
  /// The parsed base URL (nullopt when it was invalid).
  const std::optional<url_parts>& origin() const;
  /// TCP connections opened so far (keep-alive reuse keeps this low).
  std::uint64_t connections_opened() const;
  /// Closes the kept-alive connection (the next request reconnects).
  void close();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace trader::net
