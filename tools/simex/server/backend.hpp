#pragma once
// What the simex transport serves. The transport owns sockets, TLS, JWT checks, logs and
// carries out fault decisions; a backend owns the exchange and its fault plan. Every call
// happens on the server's single event-loop thread, so a backend needs no locking (the
// engine is not thread-safe).

#include "messages/time.hpp"
#include "tools/simex/engine/fault_plan.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trader::simex::transport {

/// One HTTP request as received; views are valid during the call only.
struct request_view {
  std::string_view method;    ///< "GET", "POST", ...
  std::string_view path;      ///< target without query
  std::string_view query;     ///< raw query without '?', "" when none
  std::string_view body;
  std::string_view key_name;  ///< authenticated API key, "" for public endpoints
};

/// An HTTP answer; bodies are reused between requests (keep their capacity).
struct reply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  void clear() {
    status = 200;
    content_type = "application/json";
    body.clear();
    headers.clear();
  }
};

/// Verifies a WebSocket `jwt` field; returns the key name or nullopt.
using ws_auth = std::function<std::optional<std::string>(std::string_view jwt)>;

/// One WebSocket connection's protocol state (subscriptions, sequence numbers).
class ws_handler {
public:
  virtual ~ws_handler() = default;
  /// A client text frame; answers (acks, snapshots, errors) are appended to out.
  virtual void on_text(std::string_view text, ts_ns now, std::vector<std::string>& out) = 0;
  /// After backend::step(): this step's exchange events as frames for this connection.
  virtual void on_events(ts_ns now, std::vector<std::string>& out) = 0;
  /// Once per (simulated) second: heartbeats and periodic channels.
  virtual void on_tick(ts_ns now, std::vector<std::string>& out) = 0;
  /// True once a subscribe succeeded (the 5 s subscribe deadline).
  virtual bool has_subscribed() const = 0;
  /// Burns one sequence number (the sequence-gap fault).
  virtual void skip_sequence() = 0;
  /// True when a fault decided this connection must be dropped now.
  virtual bool wants_close() const { return false; }
};

/// The exchange behind the transport.
class backend {
public:
  virtual ~backend() = default;
  /// True when path needs a JWT (private endpoints).
  virtual bool requires_auth(std::string_view path) const = 0;
  /// Answers one REST request at time now.
  virtual void handle(const request_view& req, ts_ns now, reply& out) = 0;
  /// A new WebSocket connection.
  virtual std::unique_ptr<ws_handler> open_ws(ws_auth auth) = 0;
  /// Moves the market to now and collects the events every ws_handler then sees.
  virtual void step(ts_ns now) = 0;
  /// The fault plan: the transport asks it about every REST request (before auth and
  /// processing) and installs the admin port's rules in it; the backend asks it about
  /// every outgoing WS frame and applies its market faults on step().
  virtual fault_plan& faults() = 0;
  /// Admin requests the transport does not handle itself (engine test helpers); false →
  /// the transport answers 404.
  virtual bool admin(const request_view& req, ts_ns now, reply& out) { return false; }
};

/// A tiny stand-in used until the real API is linked, and by transport tests: public
/// GET /api/v3/brokerage/time, every other /api/v3/brokerage path private and answered
/// with {"path":…,"key":…}; WS heartbeats and an echo "subscriptions" ack; a fault plan
/// for REST faults only.
std::unique_ptr<backend> make_stub_backend();

} // namespace trader::simex::transport
