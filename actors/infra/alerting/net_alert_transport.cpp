#include "actors/infra/alerting/net_alert_transport.hpp"

#include "runtime/net/https_client.hpp"

namespace trader::alerting {

net_alert_transport::net_alert_transport(net::tls_options tls) : tls_(std::move(tls)) {}

net_alert_transport::~net_alert_transport() = default;

transport_result net_alert_transport::post(const outbound_request& req, std::chrono::milliseconds timeout) {
  transport_result out;
  auto url = net::parse_url(req.url);
  if (!url || (url->scheme != "http" && url->scheme != "https")) {
    out.error = "malformed sink URL " + req.display_url + (url ? "" : ": " + url.error());
    out.unusable = true;
    return out;
  }
  std::lock_guard<std::mutex> lock(mtx_);
  auto origin = url->scheme + "://" + url->host_header();
  auto it = clients_.find(origin);
  if (it == clients_.end()) {
    net::client_options opts;
    opts.tls = tls_;
    opts.connect_timeout = timeout;
    opts.request_timeout = timeout;
    it = clients_.emplace(origin, std::make_unique<net::https_client>(origin, opts)).first;
  }
  auto r = it->second->post(url->target, req.body, {{"Content-Type", req.content_type}});
  if (!r) {
    out.error = std::string(net::to_string(r.error().code)) + ": " + r.error().detail + " (" + req.display_url + ")";
    // A URL we will never be allowed to reach is a configuration error, not an outage.
    out.unusable =
      r.error().code == net::transport_errc::invalid_url || r.error().code == net::transport_errc::plaintext_refused;
    return out;
  }
  out.sent = true;
  out.status = r->status;
  return out;
}

} // namespace trader::alerting
