#include "actors/trading/risk/trading_gate.hpp"

#include "messages/names.hpp"

namespace trader::risk {

trading_gate trading_gate::closed_at_start(ts_ns now) {
  trading_gate g;
  g.apply(gate_signal{gate_reason::startup, true, "waiting for the first reconcile", "risk", now});
  return g;
}

namespace {

/// How each reason behaves: one row per reason, every reason listed (no default).
struct reason_traits {
  bool sticky;              ///< Only an operator clears it.
  bool blocks_reduce_only;  ///< The position itself is uncertain (or cancels only).
};

reason_traits traits(gate_reason r) {
  // NOLINTBEGIN(bugprone-branch-clone): one row per reason on purpose, so a new reason is placed, not grouped.
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
    case gate_reason::crash_regime: return {false, false};   // a level from the regime detector
    case gate_reason::operator_halt: return {true, false};   // by hand; exits stay allowed
  }
  // NOLINTEND(bugprone-branch-clone)
  return {true, true};  // An unknown value: the strictest.
}

} // namespace

bool trading_gate::is_sticky(gate_reason r) { return traits(r).sticky; }

bool trading_gate::blocks_reduce_only(gate_reason r) { return traits(r).blocks_reduce_only; }

bool trading_gate::survives_restart(gate_reason r) {
  return is_sticky(r) || r == gate_reason::order_timeout || r == gate_reason::actor_lost_state;
}

bool trading_gate::has(gate_reason r) const {
  for (const auto& [k, e] : entries_)
    if (k.reason == r)
      return true;
  return false;
}

const std::pair<const trading_gate::key, trading_gate::entry>* trading_gate::asserting(gate_reason r, ts_ns now) const {
  for (const auto& kv : entries_)
    if (kv.first.reason == r && kv.second.held && now - kv.second.asserted_at <= gate_assertion_fresh_ms * 1'000'000)
      return &kv;
  return nullptr;
}

bool trading_gate::asserted(gate_reason r, ts_ns now) const { return asserting(r, now) != nullptr; }

bool trading_gate::apply(const gate_signal& s) {
  if (s.active) {
    key k{s.reason, s.source, s.product};
    auto [it, inserted] = entries_.try_emplace(k, entry{gate_reason_entry{s.reason, s.detail, s.ts, s.source, s.product}});
    if (!inserted)
      it->second.shown.detail = s.detail;  // Keep `since`; refresh the detail.
    return inserted;
  }
  if (is_sticky(s.reason))
    return false;
  return std::erase_if(entries_, [&](const auto& kv) {
           const auto& k = kv.first;
           return k.reason == s.reason && k.source == s.source && (s.product.empty() || k.product == s.product);
         }) != 0;
}

bool trading_gate::apply(const gate_conditions& c) {
  std::map<key, const gate_condition*> now_held;
  for (const auto& cond : c.active)
    now_held.emplace(key{cond.reason, c.source, cond.product}, &cond);
  // What the set no longer holds: sticky entries stay until an operator resumes them, no
  // longer asserted; the others clear.
  for (auto& [k, e] : entries_)
    if (k.source == c.source)
      e.held = false;
  bool changed = std::erase_if(entries_, [&](const auto& kv) {
                   const auto& k = kv.first;
                   return k.source == c.source && !is_sticky(k.reason) && !now_held.count(k);
                 }) != 0;
  for (const auto& [k, cond] : now_held) {
    auto [it, inserted] =
      entries_.try_emplace(k, entry{gate_reason_entry{k.reason, cond->detail, c.ts, k.source, k.product}});
    it->second.shown.detail = cond->detail;
    it->second.held = true;
    it->second.asserted_at = c.ts;
    changed = changed || inserted;
  }
  return changed;
}

resume_result trading_gate::resume(gate_reason r, bool force, ts_ns now) {
  if (const auto* held = asserting(r, now)) {
    const auto& [k, e] = *held;
    return {false, std::string{to_string(r)} + " still holds: " + k.source + " reports " +
                     (k.product.empty() ? "" : k.product + ": ") + e.shown.detail +
                     "; it clears by itself once the cause is gone"};
  }
  if (r == gate_reason::startup && !reconciled_ && !force && has(r))
    return {false, "no reconcile has agreed with the exchange since start (order_lifecycle reconciles at start and "
                   "every 30 s; startup clears by itself once one agrees); check the exchange's open orders and "
                   "balances, then `traderctl resume startup --force` opens the gate "
                   "without one"};
  return {std::erase_if(entries_, [r](const auto& kv) { return kv.first.reason == r; }) != 0, {}};
}

gate_decision trading_gate::check(order_effect e) const {
  if (e == order_effect::cancel)
    return {true, std::nullopt};
  for (const auto& [k, entry] : entries_) {
    if (e == order_effect::open_or_add || blocks_reduce_only(k.reason))
      return {false, k.reason};
  }
  return {true, std::nullopt};
}

std::vector<gate_reason_entry> trading_gate::reasons() const {
  std::vector<gate_reason_entry> out;
  out.reserve(entries_.size());
  for (const auto& [k, e] : entries_)
    out.push_back(e.shown);
  return out;
}

gate_changed trading_gate::snapshot(ts_ns now) const { return gate_changed{is_open(), reasons(), now}; }

} // namespace trader::risk

#include "runtime/clock.hpp"

#include <nlohmann/json.hpp>

namespace trader::risk {

std::string gate_json(const gate_changed& g) {
  auto reasons = nlohmann::json::array();
  for (auto& r : g.reasons)
    reasons.push_back({{"reason", std::string{to_string(r.reason)}},
                       {"detail", r.detail},
                       {"since", format_rfc3339_ms(r.since)},
                       {"source", r.source},
                       {"product", r.product}});
  return nlohmann::json{{"open", g.open}, {"reasons", reasons}}.dump();
}

} // namespace trader::risk
