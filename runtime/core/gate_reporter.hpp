#pragma once
// The level-triggered side of the trading gate, for a source (clock, rate_limiter,
// market_data, products, user_stream, state, audit, the kill-switch watcher): the conditions
// it holds *now*, reported to risk as one gate_conditions message that replaces whatever the
// source reported before. A report lost while risk restarts is repaired by the next one:
// sources report on every change, every gate_reassert_interval_ms, and whenever a (re)started
// risk asks (report_gate_conditions). docs/architecture.md#the-trading-gate.

#include "messages/gate.hpp"

#include <map>
#include <string>
#include <utility>

namespace trader::core {

class registry;

/// The conditions one source holds. No CAF.
class gate_reporter {
public:
  explicit gate_reporter(std::string source) : source_(std::move(source)) {}

  /// Holds reason (for product, or for no product) with detail; true if the set changed
  /// (a new condition; a changed detail alone is not a change).
  bool set(gate_reason r, std::string detail, std::string product = {});
  /// Sets or clears as `active` says; true if the set changed.
  bool update(gate_reason r, bool active, std::string detail, std::string product = {});
  /// Drops one condition; true if it was held.
  bool clear(gate_reason r, const std::string& product = {});

  gate_conditions snapshot(ts_ns now) const;

private:
  std::string source_;
  std::map<std::pair<gate_reason, std::string>, std::string> active_;  ///< (reason, product) → detail
};

/// Sends r's current set to risk. `quiet`: skip (uncounted) when risk is between instances —
/// for periodic re-asserts, since a restarted risk asks every source itself.
template <class Self>
void report_gate(Self* self, registry& reg, const gate_reporter& r, ts_ns now, bool quiet = false);

} // namespace trader::core

#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"

#include <caf/actor_cast.hpp>

#include <chrono>

namespace trader::core {

template <class Self>
void report_gate(Self* self, registry& reg, const gate_reporter& r, ts_ns now, bool quiet) {
  if (quiet) {
    if (auto risk = reg.get(names::risk))
      self->send(risk, r.snapshot(now));
    return;
  }
  reg.send(self, names::risk, r.snapshot(now));
}

/// Starts a source's periodic re-assert: report_gate_conditions{periodic} to itself.
template <class Self>
void start_gate_reassert(Self* self) {
  self->delayed_send(self, std::chrono::milliseconds(gate_reassert_interval_ms), report_gate_conditions{true});
}

/// The handler a source adds to its behavior: answers risk's report_gate_conditions, and
/// re-asserts (and re-arms) on its own periodic one. `get` returns the source's reporter.
template <class Self, class Get, class Now>
auto gate_report_handler(Self* self, registry& reg, Get get, Now now) {
  return [self, &reg, get, now](const report_gate_conditions& m) {
    if (m.periodic) {
      report_gate(self, reg, get(), now(), true);
      start_gate_reassert(self);
      return;
    }
    // risk's question: answer the instance that asked, which may not be registered yet.
    if (auto asker = caf::actor_cast<caf::actor>(self->current_sender()))
      self->send(asker, get().snapshot(now()));
    else
      report_gate(self, reg, get(), now());
  };
}

} // namespace trader::core
