#include "actors/infra/state/gate_records.hpp"

#include "messages/names.hpp"

namespace trader::state {

persistence::gate_record to_record(const gate_changed& g) {
  persistence::gate_record r;
  r.open = g.open;
  r.updated_at = g.ts;
  for (auto& e : g.reasons)
    r.reasons.push_back(persistence::gate_reason_record{std::string{to_string(e.reason)}, e.detail, e.since});
  return r;
}

std::vector<gate_signal> to_signals(const persistence::gate_record& r) {
  std::vector<gate_signal> out;
  for (auto& e : r.reasons) {
    auto reason = parse_gate_reason(e.reason);
    if (reason)
      out.push_back(gate_signal{*reason, true, e.detail, "store", e.since, {}});
    else
      out.push_back(gate_signal{gate_reason::state_unavailable, true, "unknown persisted gate reason '" + e.reason + "'",
                                "store", e.since, {}});
  }
  return out;
}

} // namespace trader::state
