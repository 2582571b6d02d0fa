#pragma once
// Settings of the REST endpoint actors (products, accounts, orders, fills, clock), as the
// lead wires them into the exchange supervisor. No CAF.

#include "actors/exchange/coinbase/coinbase_rest.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace prometheus {
class Registry;
}

namespace trader::exchange {

struct endpoint_options {
  std::string rest_base_url = "https://api.coinbase.com";
  std::string ca_file;                                   ///< "" = system CA store
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{10000};
  std::shared_ptr<const net::api_key> credentials;       ///< null = public endpoints only
  /// The orders actor refuses create_order (errc::rejected) while true: DRY_RUN and PAPER
  /// never place an order, whatever asks. Cancels, previews and reads still go. Fail
  /// closed: traderd sets it false only for a confirmed LIVE start.
  bool read_only = true;
  retry_policy retry;                                    ///< idempotent calls
  int create_lookups = 3;                                ///< lookups of a create whose reply was lost
  std::chrono::milliseconds permit_wait{5000};           ///< longest wait for a rate_limiter permit
  prometheus::Registry* metrics = nullptr;               ///< per-endpoint counters; null = none
  // products
  std::chrono::milliseconds products_refresh{std::chrono::minutes{5}};  ///< cache lifetime, refresh period
  /// A failed refresh, or one after a status change the catalogue has not listed yet, is
  /// retried sooner: full jitter from base, doubling to cap ([market_data] recovery_retry_*).
  retry_policy products_recovery{1 << 30, std::chrono::milliseconds{1000}, std::chrono::milliseconds{30000}};
  // clock
  std::chrono::milliseconds clock_probe_interval{std::chrono::seconds{60}};  ///< periodic measurement
  int clock_probes = 3;                    ///< probes per measurement (the lowest RTT wins)
  std::int64_t max_skew_ms = 150;          ///< [circuit_breakers] max_clock_skew_ms

  /// The client settings these options describe.
  rest_options rest() const {
    rest_options r;
    r.base_url = rest_base_url;
    r.ca_file = ca_file;
    r.connect_timeout = connect_timeout;
    r.request_timeout = request_timeout;
    r.credentials = credentials;
    r.retry = retry;
    r.create_lookups = create_lookups;
    return r;
  }
};

} // namespace trader::exchange
