#pragma once
// Transport faults (pure, no sockets): what the admin port installs and each request
// consults. Engine faults (bad ticks, status flips, duplicated fills) belong to the
// engine's fault plan; the transport forwards unknown admin calls to the backend.

#include "messages/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trader::simex::transport {

/// What a matching request suffers.
enum class fault_kind {
  http_429,    ///< 429 with x-ratelimit-* and retry-after headers; request not processed
  http_5xx,    ///< `status` (default 503); request not processed
  latency,     ///< answer after latency_ms (request processed)
  reset,       ///< connection reset (RST) instead of an answer; request not processed
  no_answer,   ///< request read, never answered; connection left open
  drop_reply,  ///< request processed (e.g. order placed), then the connection reset
  ws_stale,    ///< WebSocket feed stops for duration_ms while sockets stay open
};

/// "http_429", ...
const char* to_string(fault_kind k);

/// One installed fault. Matches requests by method and path prefix ("" = any).
struct fault_spec {
  fault_kind kind = fault_kind::http_5xx;
  std::string method;
  std::string path_prefix;
  int count = 1;               ///< requests it applies to; -1 = unlimited (until duration)
  std::int64_t duration_ms = 0;  ///< 0 = no time limit (until count is used up)
  int status = 503;            ///< http_5xx
  int latency_ms = 0;          ///< latency
  int retry_after_s = 1;       ///< http_429: retry-after and x-ratelimit-reset
  int rate_limit = 30;         ///< http_429: x-ratelimit-limit
};

/// Parses {"kind":"http_429","count":5,"path_prefix":"/api/v3/brokerage/orders",...}.
std::optional<fault_spec> parse_fault(std::string_view json, std::string& error);
/// Parses a JSON array of specs (a scenario file).
std::optional<std::vector<fault_spec>> parse_faults(std::string_view json, std::string& error);

/// The installed faults, oldest first.
class fault_plan {
public:
  /// Installs spec at monotonic time now; returns its id.
  int add(const fault_spec& spec, mono_ns now);
  void clear() { active_.clear(); }
  /// The first live fault matching this request (consumes one of its count), or nullopt.
  std::optional<fault_spec> take(std::string_view method, std::string_view path, mono_ns now);
  /// True while a ws_stale fault is live.
  bool ws_stale(mono_ns now);
  bool empty() const { return active_.empty(); }
  /// [{"id":…,"kind":…,"remaining":…}, …]
  std::string to_json(mono_ns now) const;

private:
  struct entry {
    int id;
    fault_spec spec;
    int remaining;
    mono_ns until;  ///< 0 = no deadline
  };
  void expire(mono_ns now);
  std::vector<entry> active_;
  int next_id_ = 1;
};

} // namespace trader::simex::transport
