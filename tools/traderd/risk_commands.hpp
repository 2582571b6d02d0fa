#pragma once
// The risk actor's control commands (issue 15): `risk` (limits, their current use, loss
// limits, pacing, protective exits, the last verdicts) and `halt` (operator_halt: the gate
// closes to new risk by hand; exits stay allowed; `resume operator_halt` reopens it).

#include "tools/traderd/control_commands.hpp"

namespace trader::daemon {

/// Registers risk and halt.
void register_risk_commands(control::control_server& server, const control_context& ctx);

} // namespace trader::daemon
