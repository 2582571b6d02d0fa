#pragma once
// A minimal blocking HTTP/1.1 client over plain TCP to a numeric address, for loopback use
// only: scraping our own /metrics (traderctl, tests, bench) and posting alerts to local
// test receivers. Real sinks go through runtime/net's HTTPS client. No CAF.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trader::metrics {

/// One HTTP exchange's outcome.
struct http_result {
  bool ok = false;      ///< True when a complete response was read (any status code).
  std::string error;    ///< Why not, when !ok ("connect: Connection refused", "timeout").
  int status = 0;       ///< HTTP status code.
  std::string body;     ///< De-chunked body.
};

/// One request; the connection closes after the response.
struct http_request {
  std::string host = "127.0.0.1";  ///< Numeric IPv4 or IPv6 address.
  std::uint16_t port = 0;
  std::string method = "GET";
  std::string target = "/";       ///< Path and query.
  std::vector<std::pair<std::string, std::string>> headers;  ///< Extra headers.
  std::string body;
  std::chrono::milliseconds timeout{5000};  ///< For the whole exchange.
};

/// Performs req; never throws.
http_result perform(const http_request& req);

/// GET http://host:port/path.
http_result http_get(const std::string& host, std::uint16_t port, const std::string& path,
                     std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

} // namespace trader::metrics
