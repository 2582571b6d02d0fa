#pragma once
// Fault injection as data plus decisions: simex's one fault model. A plan is a list of rules
// (a TOML scenario file, or rules the admin port installs one by one); the transport asks it
// what to do with each REST request and each outgoing WS message, and on every tick which
// market faults to apply to the engine. The transport only carries decisions out.
// Pure: time is an argument, randomness is absent (rules count requests deterministically).

#include "tools/simex/engine/types.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trader::simex {

class exchange;

/// Every fault simex can inject.
enum class fault_kind : std::uint8_t {
  rate_limit,        ///< REST 429 with Coinbase's body and x-ratelimit-* / Retry-After headers.
  server_error,      ///< REST 5xx (status from the rule; 502/503/504 get an HTML gateway page).
  latency,           ///< REST answer delayed by latency_ms.
  connection_reset,  ///< REST connection closed (TCP RST) without an answer.
  no_answer,         ///< REST request accepted and never answered (client times out).
  reply_lost,        ///< REST request executed (order placed), then the reply is dropped.
  ws_drop,           ///< WS connection closed by the server.
  sequence_gap,      ///< One WS message not sent, its sequence_num burnt.
  stale_quotes,      ///< Market-data WS messages withheld; socket and heartbeats stay up.
                     ///< channel "*": the whole feed stops, heartbeats too (see feed_stalled).
  bad_tick,          ///< One trade print pct % off the last price, size 0.
  status_flip,       ///< Product status set to `status` for the window, then back to online.
  duplicate_update,  ///< WS user message sent twice.
  out_of_order_update,  ///< WS user message held back and sent after the next one.
  messy_fills,       ///< REST fills list answered reversed, every fill twice, some withheld
                     ///< while the rule is live (they come later, behind newer ones).
};
/// "rate_limit", "server_error", ... (scenario file spelling).
std::string_view to_wire(fault_kind k);
bool parse_fault_kind(std::string_view text, fault_kind& out);

/// One rule: which kind, when, on what.
struct fault_rule {
  fault_kind kind = fault_kind::server_error;
  ts_ns start = 0;         ///< Offset from the plan origin.
  ts_ns duration = 0;      ///< Window length; 0 = open-ended.
  std::string method;      ///< REST method filter ("" = any).
  std::string path;        ///< REST path prefix filter ("" = any).
  std::string channel;     ///< WS message channel filter ("l2_data", "user", "" = any).
  std::string product_id;  ///< Product for market faults and WS filter ("" = any/all).
  std::int64_t count = -1;  ///< Times it fires at most (-1 = unlimited; market faults default 1).
  std::int64_t every = 1;   ///< Fires on every Nth matching request/message.
  int status = 0;           ///< HTTP status (rate_limit: 429, server_error: 503 by default).
  ts_ns latency = 0;        ///< For latency.
  std::int64_t retry_after_s = 1;  ///< rate_limit: Retry-After and x-ratelimit-reset.
  product_status to_status = product_status::cancel_only;  ///< status_flip target.
  double pct = 20.0;        ///< bad_tick distance from the last price, percent (sign = direction).
  std::int64_t rate_limit = 30;  ///< rate_limit: the x-ratelimit-limit header.
  std::string label;        ///< Name it was installed under (admin "http_429"); "" = to_wire(kind).
  std::int64_t id = 0;      ///< Set by install(); 0 = a rule of the scenario.

  std::int64_t seen = 0;   ///< Matching requests so far (state).
  std::int64_t fired = 0;  ///< Times fired so far (state).
  bool reverted = false;   ///< status_flip: the product is back online (state).
};

/// The name a rule is counted and logged under: its label, else its kind's spelling.
std::string_view name_of(const fault_rule& r);

/// What the transport does with one REST request.
struct rest_decision {
  enum class action : std::uint8_t {
    pass,
    respond,
    delay,
    reset,
    no_answer,
    drop_reply,
    messy_fills,  ///< process, then disorder the fills list of the reply (disorder_fills)
  } act = action::pass;
  int status = 0;  ///< respond: status, body, headers.
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  ts_ns delay = 0;  ///< delay: wait this long, then pass.
  std::string fault;  ///< name_of() the rule that decided; "" for pass.
};

/// A 429 as Coinbase sends it: rate_limit_exceeded body, x-ratelimit-limit/-remaining: 0/
/// -reset (UNIX s of now + retry_after_s) and Retry-After headers.
rest_decision too_many_requests(std::int64_t limit, std::int64_t retry_after_s, ts_ns now);

/// What the transport does with one outgoing WS message.
enum class ws_decision : std::uint8_t {
  deliver,
  close,          ///< Close the connection (ws_drop).
  skip_sequence,  ///< Do not send; burn its sequence number (sequence_gap).
  suppress,       ///< Do not send (stale quotes); sequence untouched.
  duplicate,      ///< Send twice.
  defer,          ///< Hold; send after the next message of the channel (out of order).
};

/// A fault for the engine itself, returned by on_tick().
struct market_fault {
  fault_kind kind = fault_kind::bad_tick;
  std::string product_id;
  double pct = 20.0;
  product_status status = product_status::online;
};

/// A scenario: rules plus their state.
class fault_plan {
public:
  fault_plan() = default;
  explicit fault_plan(std::vector<fault_rule> rules) : rules_(std::move(rules)) {}

  /// Parses a TOML scenario ([[fault]] tables); nullopt with error set when invalid.
  static std::optional<fault_plan> from_toml(std::string_view text, std::string& error);

  /// Engine time the scenario's start offsets count from (set when the scenario is loaded);
  /// installed rules keep their times.
  void set_origin(ts_ns t);
  ts_ns origin() const { return origin_; }
  /// Appends a scenario rule.
  void add(fault_rule r) { rules_.push_back(std::move(r)); }
  /// Installs one rule at now (the admin port): its start_s counts from now. Installed rules
  /// are asked before the scenario's. Returns its id (> 0).
  std::int64_t install(fault_rule r, ts_ns now);
  /// Replaces the scenario's rules by scenario's, their start offsets counting from now;
  /// installed rules stay.
  void load_scenario(fault_plan scenario, ts_ns now);
  /// Removes the installed rules (the scenario's stay).
  void clear_installed();
  /// Removes the scenario's rules (installed ones stay).
  void clear_scenario();
  /// Removes every rule.
  void clear() { rules_.clear(); }
  /// Installed rules first, then the scenario's.
  const std::vector<fault_rule>& rules() const { return rules_; }
  /// True while r can still fire at now: inside its window, count not used up.
  bool live(const fault_rule& r, ts_ns now) const;
  /// Engine time r's window closes; 0 when open-ended.
  ts_ns window_end(const fault_rule& r) const;

  /// Decides the fate of a REST request (path without query).
  rest_decision on_rest_request(std::string_view method, std::string_view path, ts_ns now);
  /// Decides the fate of an outgoing WS message of channel (message name) and product.
  ws_decision on_ws_message(std::string_view channel, std::string_view product_id, ts_ns now);
  /// True while a stale_quotes rule with channel "*" is in its window: the transport then
  /// steps no WebSocket connection (no updates, no heartbeats; sockets stay open and
  /// subscribe requests are still answered).
  bool feed_stalled(ts_ns now) const;
  /// Market faults due at now (bad ticks; status flips and their reverts).
  std::vector<market_fault> on_tick(ts_ns now);
  /// Applies a market fault to the exchange.
  static void apply(const market_fault& f, exchange& ex, ts_ns now);

private:
  bool active(const fault_rule& r, ts_ns now) const;
  bool fire(fault_rule& r);

  std::vector<fault_rule> rules_;
  ts_ns origin_ = 0;
  std::int64_t next_id_ = 1;
};

} // namespace trader::simex
