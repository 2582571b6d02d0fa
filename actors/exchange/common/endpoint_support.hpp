#pragma once
// The one place the REST endpoint actors share their CAF-side plumbing:
//  - call_gate: exchange::call_hooks for an actor's coinbase_rest. Before every HTTP attempt
//    it asks "rate_limiter" for a permit (blocking, on the detached actor's own thread);
//    after every attempt it sends call_outcome → rate_limiter, latency_sample → latency and
//    counts the call per endpoint. Without a registered rate_limiter it proceeds (warns once).
//    List elements the client skipped are counted per endpoint.
//  - to_caf_error: exchange_error → caf::error (errc + "endpoint status kind reason").
//  - reply(): rest_result<T> → caf::result<T>.

#include "actors/exchange/coinbase/endpoint_options.hpp"
#include "actors/exchange/coinbase/exchange_error.hpp"
#include "actors/exchange/coinbase/rest_result.hpp"

#include <caf/all.hpp>  // only actor TUs include this header

#include <atomic>
#include <memory>
#include <string>

#include "runtime/core/errc.hpp"
#include "runtime/core/registry.hpp"

namespace trader::exchange {

/// errc::exchange_error for answers, errc::transport_error for transport failures,
/// errc::timeout for timeouts (read deadline, permit wait) and unresolved creates; the
/// context is exchange_error::context() ("POST /orders 503 server -", "POST /orders 0
/// unresolved -").
caf::error to_caf_error(const exchange_error& e);

/// The value, or the typed error.
template <class T>
caf::result<T> reply(rest_result<T>&& r) {
  if (r.ok())
    return std::move(r).value();
  return to_caf_error(r.error());
}

/// Permits, outcomes, latency samples and counters around every HTTP attempt of one actor.
/// Lives on (and is called from) the actor's own thread only.
class call_gate : public call_hooks {
public:
  call_gate(caf::actor_system& sys, core::registry& reg, std::string actor, const endpoint_options& opts);
  ~call_gate() override;

  std::optional<exchange_error> acquire(const call_info& info) override;
  void record(const call_info& info, const call_record& rec) override;
  /// trader_<actor>_skipped_elements_total{endpoint}.
  void skipped(const call_info& info, const skipped_element& element) override;

  /// Attempts so far (all endpoints) and attempts that got no 2xx: for tests and logs.
  std::uint64_t attempts() const { return attempts_; }
  std::uint64_t failures() const { return failures_; }

private:
  struct counters;
  caf::actor_system& sys_;
  core::registry& reg_;
  std::string actor_;
  std::chrono::milliseconds permit_wait_;
  std::unique_ptr<counters> counters_;
  bool warned_no_limiter_ = false;
  std::uint64_t attempts_ = 0;
  std::uint64_t failures_ = 0;
};

/// What every endpoint actor owns: its gate and its client (created on its own thread).
struct rest_endpoint {
  std::unique_ptr<call_gate> gate;
  std::unique_ptr<coinbase_rest> rest;
};

/// Builds the gate and client of actor `name` from opts.
rest_endpoint make_rest_endpoint(caf::actor_system& sys, core::registry& reg, std::string name,
                                 const endpoint_options& opts);

} // namespace trader::exchange
