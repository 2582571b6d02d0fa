#include "actors/infra/alerting/alert_transport.hpp"

#include "runtime/metrics/loopback_http.hpp"

namespace trader::alerting {

transport_result loopback_http_transport::post(const outbound_request& req, std::chrono::milliseconds timeout) {
  transport_result out;
  url_parts u;
  if (!parse_url(req.url, u)) {
    out.error = "malformed sink URL " + req.display_url;
    out.unusable = true;
    return out;
  }
  if (u.scheme != "http") {
    out.error = "https sinks need the runtime/net transport: " + req.display_url;
    out.unusable = true;
    return out;
  }
  metrics::http_request r;
  r.host = u.host;
  r.port = u.port;
  r.method = "POST";
  r.target = u.target;
  r.headers = {{"Content-Type", req.content_type}};
  r.body = req.body;
  r.timeout = timeout;
  auto res = metrics::perform(r);
  out.sent = res.ok;
  out.status = res.status;
  out.error = res.error;
  return out;
}

delivery_outcome classify(const transport_result& r) {
  if (r.unusable)
    return delivery_outcome::permanent_failure;
  if (!r.sent)
    return delivery_outcome::retryable_failure;
  if (r.status >= 200 && r.status < 300)
    return delivery_outcome::delivered;
  if (r.status == 408 || r.status == 429 || r.status >= 500)
    return delivery_outcome::retryable_failure;
  return delivery_outcome::permanent_failure;
}

} // namespace trader::alerting
