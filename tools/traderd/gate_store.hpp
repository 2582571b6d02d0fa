#pragma once
// The persisted trading gate written straight into the state store, without risk. risk owns
// the gate whenever it runs; these run only when it does not — the safe halt (the subtree
// holding risk is gone) and `traderctl kill` / SIGUSR1 during one — and risk's next instance
// rebuilds its gate from what they wrote (sticky reasons such as kill_switch and safe_halt
// survive a start). No CAF.

#include "messages/gate.hpp"
#include "messages/time.hpp"
#include "runtime/control/protocol.hpp"
#include "runtime/persistence/records.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace trader::persistence {
class state_store;
}

namespace trader::daemon {

/// What writing one gate reason straight into the store did.
struct gate_write {
  bool ok = false;
  std::string detail;  ///< What was committed, or why not (naming the store's error).
  std::optional<persistence::gate_record> gate;  ///< The record read back after the commit.
};

/// Merges `reason` (detail why, since at) into the persisted gate record, keeping every other
/// reason (an earlier entry of the same reason is replaced), closes it, commits durably and
/// reads it back. Fails (with the reason) when the store is absent (store_error says why),
/// refuses writes after an earlier failure, or the read, the write or the read-back fails.
/// Thread-safe: concurrent calls (a safe halt and a kill) each keep the other's reason.
gate_write persist_gate_reason(persistence::state_store* store, const std::string& store_error, gate_reason reason,
                               const std::string& why, ts_ns at);

/// A persisted gate record as the gate JSON of `traderctl gate` and `kill` ({"open",
/// "reasons": [{reason, detail, since, source, product}]}); source "state store".
nlohmann::json gate_record_json(const persistence::gate_record& g);

/// The answer to `kill` while risk is not running (the kill switch went straight into the
/// store): the gate read back with a warning saying so, followed by orders_warning when not
/// empty (e.g. no order_lifecycle took the cancel_all); or, when the write failed,
/// `unavailable` "kill switch in force but NOT durable: …" — nothing opens orders without
/// risk, but a restart would not bring the kill switch back.
control::reply kill_reply_without_risk(const gate_write& w, const std::string& orders_warning);

} // namespace trader::daemon
