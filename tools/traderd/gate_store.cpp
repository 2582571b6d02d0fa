#include "tools/traderd/gate_store.hpp"

#include "messages/names.hpp"
#include "runtime/clock.hpp"
#include "runtime/persistence/state_store.hpp"

#include <algorithm>
#include <mutex>

namespace trader::daemon {

namespace {

/// The direct writers (the safe halt's thread, the control thread, the main loop's SIGUSR1)
/// can run at once; each one's read-merge-write must not lose the other's reason.
std::mutex direct_writers;

} // namespace

gate_write persist_gate_reason(persistence::state_store* store, const std::string& store_error, gate_reason reason,
                               const std::string& why, ts_ns at) {
  const std::string name{to_string(reason)};
  if (!store)
    return {false, "state store not open: " + (store_error.empty() ? std::string{"unknown reason"} : store_error), {}};
  if (auto f = store->failure())
    return {false, "state store refuses writes after: " + f->describe(), {}};
  std::lock_guard guard{direct_writers};
  auto current = store->get_gate();
  if (!current)
    return {false, "reading the persisted gate: " + current.error().describe(), {}};
  persistence::gate_record rec = *current ? **current : persistence::gate_record{};
  std::erase_if(rec.reasons, [&](const persistence::gate_reason_record& r) { return r.reason == name; });
  auto kept = rec.reasons.size();
  rec.reasons.push_back(persistence::gate_reason_record{name, why, at});
  rec.open = false;
  rec.updated_at = at;
  if (auto w = store->put_gate(rec); !w)
    return {false, "writing the gate: " + w.error().describe(), {}};
  auto back = store->get_gate();  // what a restarted risk will read
  if (!back || !*back
      || std::none_of((*back)->reasons.begin(), (*back)->reasons.end(),
                      [&](const persistence::gate_reason_record& r) { return r.reason == name; }))
    return {false, "the gate read back after the commit has no " + name, {}};
  return {true,
          "gate record committed durably with " + name + " (" + std::to_string(kept) + " other reason(s) kept) in "
            + store->dir(),
          **back};
}

nlohmann::json gate_record_json(const persistence::gate_record& g) {
  auto reasons = nlohmann::json::array();
  for (auto& r : g.reasons)
    reasons.push_back({{"reason", r.reason},
                       {"detail", r.detail},
                       {"since", r.since ? format_rfc3339_ms(r.since) : std::string{}},
                       {"source", "state store"},
                       {"product", ""}});
  return nlohmann::json{{"open", g.open}, {"reasons", reasons}};
}

control::reply kill_reply_without_risk(const gate_write& w, const std::string& orders_warning) {
  const std::string orders = orders_warning.empty() ? std::string{} : "; " + orders_warning;
  if (!w.ok || !w.gate)
    return control::reply::failure(
      control::error_code::unavailable,
      "kill switch in force but NOT durable: risk is not running (nothing opens orders without it) and writing the "
      "kill switch straight into the state store failed: " + w.detail
        + " (a restart would not bring it back until the store accepts the write)" + orders);
  auto body = gate_record_json(*w.gate);
  body["warning"] = "risk is not running (safe halt): the kill switch was written straight into the state store ("
                    + w.detail + "); risk's next instance starts with it" + orders;
  return control::reply::success(std::move(body));
}

} // namespace trader::daemon
