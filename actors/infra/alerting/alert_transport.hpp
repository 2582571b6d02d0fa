#pragma once
// How alert payloads leave the process: an interface the dispatcher posts through. The
// loopback implementation speaks plain HTTP/1.1 to numeric addresses (local receivers,
// tests); HTTPS sinks need the adapter over runtime/net's client (not here yet).

#include "actors/infra/alerting/delivery_queue.hpp"

#include <chrono>
#include <string>

namespace trader::alerting {

/// What one POST returned.
struct transport_result {
  bool sent = false;    ///< A response arrived (any status).
  int status = 0;       ///< HTTP status when sent.
  std::string error;    ///< Network-level error when !sent.
  bool unusable = false;  ///< The request cannot work with this transport (bad URL, https).
};

/// Blocking POST of one request; implementations must be thread-safe.
class alert_transport {
public:
  virtual ~alert_transport() = default;
  /// POSTs req.body to req.url within timeout.
  virtual transport_result post(const outbound_request& req, std::chrono::milliseconds timeout) = 0;
};

/// Plain HTTP to http://<numeric address>[:port]/path; refuses https:// (the HTTPS
/// adapter over runtime/net plugs in as another alert_transport).
class loopback_http_transport final : public alert_transport {
public:
  transport_result post(const outbound_request& req, std::chrono::milliseconds timeout) override;
};

/// delivered for 2xx; retryable for network errors, 408, 429 and 5xx; permanent for other
/// statuses and for requests the transport cannot make.
delivery_outcome classify(const transport_result& r);

} // namespace trader::alerting
