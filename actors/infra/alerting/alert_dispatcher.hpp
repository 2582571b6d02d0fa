#pragma once
// Turns the engine's notifications into deliveries: formats each for its sink, queues it,
// and — on a worker thread, never on an actor's — posts what is due through the transport.
// No CAF. The alerting actor calls submit() from its handlers and runs pump() on a
// detached (blocking-I/O) worker.

#include "actors/infra/alerting/alert_transport.hpp"

#include <functional>
#include <map>
#include <mutex>
#include <vector>

namespace trader::alerting {

/// Receives lines for log sinks (and failures worth a log line).
using log_fn = std::function<void(severity, const std::string&)>;

/// Told about every delivery attempt: sink and result ("delivered", "retry",
/// "dead_letter"); feeds trader_alerting_deliveries_total / _dead_letters_total.
using attempt_fn = std::function<void(const std::string& sink, std::string_view result)>;

/// Engine routes for a sink list (name, min level, escalation role).
std::vector<sink_route> routes_of(const std::vector<sink_config>& sinks);

/// Formats, queues and delivers notifications.
class alert_dispatcher {
public:
  alert_dispatcher(std::vector<sink_config> sinks, const retry_policy& policy, alert_transport& transport,
                   const time_source& clock, log_fn log = {}, attempt_fn on_attempt = {});

  /// Formats and queues each notification for its sink; log sinks are written at once.
  /// Thread-safe against pump().
  void submit(const std::vector<notification>& notifications);
  /// Attempts every delivery due now (blocking, up to the sink's timeout, else timeout,
  /// each); returns how many.
  std::size_t pump(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// Replaces the sink set (a config reload). Deliveries already queued keep their request.
  /// Thread-safe against submit() and pump().
  void set_sinks(std::vector<sink_config> sinks);
  /// The queue, for its stats and next due time.
  const delivery_queue& queue() const { return queue_; }

private:
  mutable std::mutex sinks_mtx_;  // submit() runs on the actor, pump() on the worker
  std::map<std::string, sink_config> sinks_;
  delivery_queue queue_;
  alert_transport& transport_;
  log_fn log_;
  attempt_fn on_attempt_;
};

} // namespace trader::alerting
