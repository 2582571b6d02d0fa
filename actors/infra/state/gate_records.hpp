#pragma once
// Conversions between the gate's messages and its persisted record. No CAF.

#include "messages/gate.hpp"
#include "runtime/persistence/records.hpp"

#include <vector>

namespace trader::state {

persistence::gate_record to_record(const gate_changed& g);
/// The persisted reasons as gate signals (unknown reason names are kept as state_unavailable:
/// a record we cannot interpret must not open the gate).
std::vector<gate_signal> to_signals(const persistence::gate_record& r);

} // namespace trader::state
