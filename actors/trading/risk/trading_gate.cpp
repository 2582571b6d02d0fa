#include "actors/trading/risk/trading_gate.hpp"

namespace trader::risk {

trading_gate trading_gate::closed_at_start(ts_ns now) {
  trading_gate g;
  g.reasons_[gate_reason::startup] = gate_reason_entry{gate_reason::startup, "waiting for first reconcile", now};
  return g;
}

namespace {

/// How each reason behaves: one row per reason, every reason listed (no default).
struct reason_traits {
  bool sticky;              ///< Only an operator clears it.
  bool blocks_reduce_only;  ///< The position itself is uncertain (or cancels only).
};

reason_traits traits(gate_reason r) {
  switch (r) {
    case gate_reason::kill_switch: return {true, true};         // cancels only
    case gate_reason::state_unavailable: return {true, true};   // we do not know what we hold
    case gate_reason::safe_halt: return {true, true};
    case gate_reason::audit_unavailable: return {true, false};  // unrecorded decisions; exits stay allowed
    case gate_reason::reconcile_pending: return {false, true};
    case gate_reason::actor_lost_state: return {false, true};
    case gate_reason::order_timeout: return {false, true};      // an order may or may not exist
    case gate_reason::user_stream_gap: return {false, true};
    case gate_reason::startup: return {false, true};
    case gate_reason::daily_stop: return {false, false};
    case gate_reason::weekly_stop: return {false, false};
    case gate_reason::max_drawdown: return {false, false};
    case gate_reason::stale_data: return {false, false};
    case gate_reason::sequence_gap: return {false, false};
    case gate_reason::product_degraded: return {false, false};
    case gate_reason::api_error_burst: return {false, false};
    case gate_reason::clock_skew: return {false, false};
  }
  return {true, true};  // An unknown value: the strictest.
}

} // namespace

bool trading_gate::is_sticky(gate_reason r) { return traits(r).sticky; }

bool trading_gate::blocks_reduce_only(gate_reason r) { return traits(r).blocks_reduce_only; }

bool trading_gate::apply(const gate_signal& s) {
  if (s.active) {
    auto [it, inserted] = reasons_.try_emplace(s.reason, gate_reason_entry{s.reason, s.detail, s.ts});
    if (!inserted)
      it->second.detail = s.detail;  // Keep `since`; refresh the detail.
    return inserted;
  }
  if (is_sticky(s.reason))
    return false;
  return reasons_.erase(s.reason) != 0;
}

bool trading_gate::resume(gate_reason r) { return reasons_.erase(r) != 0; }

gate_decision trading_gate::check(order_effect e) const {
  if (e == order_effect::cancel)
    return {true, std::nullopt};
  for (auto& [r, entry] : reasons_) {
    if (e == order_effect::open_or_add || blocks_reduce_only(r))
      return {false, r};
  }
  return {true, std::nullopt};
}

std::vector<gate_reason_entry> trading_gate::reasons() const {
  std::vector<gate_reason_entry> out;
  for (auto& [r, e] : reasons_)
    out.push_back(e);
  return out;
}

gate_changed trading_gate::snapshot(ts_ns now) const { return gate_changed{is_open(), reasons(), now}; }

} // namespace trader::risk

#include "messages/names.hpp"
#include "runtime/clock.hpp"

#include <nlohmann/json.hpp>

namespace trader::risk {

std::string gate_json(const gate_changed& g) {
  auto reasons = nlohmann::json::array();
  for (auto& r : g.reasons)
    reasons.push_back({{"reason", std::string{to_string(r.reason)}}, {"detail", r.detail}, {"since", format_rfc3339_ms(r.since)}});
  return nlohmann::json{{"open", g.open}, {"reasons", reasons}}.dump();
}

} // namespace trader::risk
