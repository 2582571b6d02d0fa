#include "actors/exchange/common/endpoint_support.hpp"

#include "runtime/core/errc.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/metrics/actor_metrics.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

namespace trader::exchange {

caf::error to_caf_error(const exchange_error& e) {
  switch (e.kind) {
    case error_kind::transport:
      return make_error(errc::transport_error, e.context());
    case error_kind::timeout:
    case error_kind::unresolved:  // the context's kind says "unresolved": the order may exist
      return make_error(errc::timeout, e.context());
    case error_kind::auth:
    case error_kind::rate_limited:
    case error_kind::bad_request:
    case error_kind::not_found:
    case error_kind::rejected:
    case error_kind::server:
    case error_kind::bad_reply:
      return make_error(errc::exchange_error, e.context());
  }
  return make_error(errc::exchange_error, e.context());
}

namespace {

const char* outcome_label(const call_record& rec) {
  if (rec.http_status == 0)
    return "transport";
  if (rec.ok)
    return "ok";
  if (rec.http_status == 429)
    return "http_429";
  return rec.http_status >= 500 ? "http_5xx" : "http_4xx";
}

} // namespace

/// trader_<actor>_requests_total{endpoint,outcome}: one series per endpoint label and outcome;
/// trader_<actor>_skipped_elements_total{endpoint}: list elements left out of an answer.
struct call_gate::counters {
  explicit counters(const metrics::actor_metrics& m)
    : requests(m.counters("requests_total", "REST attempts by endpoint and outcome.",
                          {{"endpoint", {}}, {"outcome", {"ok", "http_4xx", "http_429", "http_5xx", "transport"}}})),
      skipped(m.counters("skipped_elements_total",
                         "List elements of an exchange answer the daemon cannot represent (skipped, logged).",
                         {{"endpoint", {}}})) {}
  metrics::labelled<prometheus::Counter> requests;
  metrics::labelled<prometheus::Counter> skipped;
};

call_gate::call_gate(caf::actor_system& sys, core::registry& reg, std::string actor, const endpoint_options& opts)
  : sys_(sys), reg_(reg), actor_(std::move(actor)), permit_wait_(opts.permit_wait) {
  if (opts.metrics)
    counters_ = std::make_unique<counters>(metrics::actor_metrics(*opts.metrics, actor_));
}

call_gate::~call_gate() = default;

std::optional<exchange_error> call_gate::acquire(const call_info& info) {
  auto limiter = reg_.get(names::rate_limiter);
  if (!limiter) {
    if (!warned_no_limiter_) {
      spdlog::warn("{}: no rate_limiter registered; calling the exchange without permits", actor_);
      warned_no_limiter_ = true;
    }
    return std::nullopt;
  }
  std::optional<exchange_error> refused;
  caf::scoped_actor self{sys_};
  // The limiter answers within max_wait_ms; the extra second covers its own scheduling.
  self->request(limiter, permit_wait_ + std::chrono::seconds(1),
                permit_request{info.group, info.priority, std::string(info.endpoint), permit_wait_.count()})
    .receive([](const permit_grant&) {},
             [&](const caf::error& err) {
               exchange_error e;
               e.endpoint = std::string(info.endpoint);
               if (is(err, errc::busy)) {
                 e.kind = error_kind::rate_limited;
                 e.failure_reason = "PERMIT_BUSY";
               } else {
                 e.kind = error_kind::timeout;
                 e.failure_reason = "PERMIT_TIMEOUT";
               }
               e.detail = "rate_limiter: " + describe(err);
               refused = std::move(e);
             });
  return refused;
}

void call_gate::record(const call_info& info, const call_record& rec) {
  ++attempts_;
  if (!rec.ok)
    ++failures_;
  if (counters_)
    counters_->requests.at({info.endpoint, outcome_label(rec)}).Increment();
  if (auto limiter = reg_.get(names::rate_limiter))
    caf::anon_send(limiter, call_outcome{info.group, std::string(info.endpoint), rec.http_status, rec.retry_after_ms,
                                         rec.latency_ns, rec.ts});
  if (auto latency = reg_.get(names::latency))
    caf::anon_send(latency, latency_sample{"rest:" + std::string(info.endpoint), rec.latency_ns, rec.ok, rec.ts});
}

void call_gate::skipped(const call_info& info, const skipped_element&) {
  if (counters_)
    counters_->skipped[info.endpoint].Increment();
}

rest_endpoint make_rest_endpoint(caf::actor_system& sys, core::registry& reg, std::string name,
                                 const endpoint_options& opts) {
  rest_endpoint ep;
  ep.gate = std::make_unique<call_gate>(sys, reg, std::move(name), opts);
  ep.rest = std::make_unique<coinbase_rest>(opts.rest(), ep.gate.get());
  return ep;
}

} // namespace trader::exchange
