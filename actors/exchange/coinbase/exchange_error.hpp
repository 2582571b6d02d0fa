#pragma once
// Typed exchange errors: what went wrong on which endpoint, with the exchange's own failure
// reason kept verbatim. Built from an HTTP answer (any non-2xx status) or a transport
// failure; retryable() is the one rule the retry loop follows. No CAF: the mapping to a
// caf::error lives in actors/exchange/common (to_caf_error).

#include "runtime/net/http_types.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace trader::exchange {

/// What kind of failure (stable ids: to_string gives "auth", "rate_limited", ...).
enum class error_kind : std::uint8_t {
  auth,          ///< 401/403: token refused, key unknown, scopes missing
  rate_limited,  ///< 429 (retry_after_ms when the exchange said)
  bad_request,   ///< other 4xx: we sent something the exchange does not accept
  not_found,     ///< 404: unknown order / product
  rejected,      ///< the exchange understood and refused (business reason in failure_reason)
  server,        ///< 5xx
  transport,     ///< no answer: connect, reset, closed, TLS, protocol
  timeout,       ///< no answer in time: read deadline, permit wait
  bad_reply,     ///< 2xx whose body we cannot use (detail names the field)
  unresolved,    ///< a create whose reply was lost and whose lookup by client order id did
                 ///< not complete: the order may or may not exist (never re-sent; a
                 ///< reconcile settles it)
};

const char* to_string(error_kind k);

/// One failed call.
struct exchange_error {
  error_kind kind = error_kind::transport;
  std::string endpoint;        ///< label, e.g. "POST /orders"
  int http_status = 0;         ///< 0 when there was no answer
  std::string failure_reason;  ///< verbatim: error / failure_reason / preview_failure_reason / ...
  std::string detail;          ///< verbatim error_details / message, or our own explanation
  std::int64_t retry_after_ms = -1;  ///< from Retry-After; -1 when absent

  /// 429, 5xx, timeouts and connection failures are worth another attempt of an idempotent
  /// call; auth, 4xx, bad replies, TLS/URL failures and unresolved creates are not.
  bool retryable() const;
  /// "POST /orders 503 server GATEWAY_TIMEOUT" (the caf::error context; "-" for empties).
  std::string context() const;
  /// context() plus the detail, for logs.
  std::string describe() const;
};

/// The error an HTTP answer with a non-2xx status stands for (body parsed for the reason;
/// non-JSON bodies such as gateway HTML pages are tolerated).
exchange_error from_http(std::string_view endpoint, const net::http_response& r);
/// The error a transport failure stands for (timeout → timeout, anything else → transport).
exchange_error from_transport(std::string_view endpoint, const net::transport_error& e);
/// A 2xx body we cannot use: detail "endpoint=<e> field=<f>: <why>".
exchange_error bad_reply(std::string_view endpoint, std::string_view field, std::string_view why);

/// The exchange's failure reason in a JSON error body: the first non-empty of error,
/// failure_reason, new_order_failure_reason, preview_failure_reason (also inside
/// error_response) and errors[0].id; "" when none (or not JSON).
std::string failure_reason_of(std::string_view body);

/// Retry-After in ms (seconds or an HTTP date are accepted; dates count as 1 s), -1 if none.
std::int64_t retry_after_ms_of(const net::http_response& r);

} // namespace trader::exchange
