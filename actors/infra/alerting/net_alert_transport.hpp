#pragma once
// The production alert transport: runtime/net's https_client (verified TLS; plain http
// only to loopback) behind the alert_transport interface. Separate target
// (trader_alerting_net) so the pure alerting logic does not pull in Boost and OpenSSL.

#include "actors/infra/alerting/alert_transport.hpp"
#include "runtime/net/http_types.hpp"

#include <map>
#include <memory>
#include <mutex>

namespace trader::net {
class https_client;
} // namespace trader::net

namespace trader::alerting {

/// One kept-alive client per sink origin. Thread-safe (one POST at a time; the delivery
/// worker is the only caller anyway).
class net_alert_transport final : public alert_transport {
public:
  explicit net_alert_transport(net::tls_options tls = {});
  ~net_alert_transport() override;

  transport_result post(const outbound_request& req, std::chrono::milliseconds timeout) override;

private:
  std::mutex mtx_;
  net::tls_options tls_;
  std::map<std::string, std::unique_ptr<net::https_client>> clients_;
};

} // namespace trader::alerting
