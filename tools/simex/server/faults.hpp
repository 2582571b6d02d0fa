#pragma once
// The transport's half of simex's one fault model (tools/simex/engine/fault_plan.hpp): the
// admin port's JSON fault specs become engine rules, and the plan's decision for a REST
// request becomes the step a connection takes. Pure: no sockets, no clock.

#include "tools/simex/engine/fault_plan.hpp"
#include "tools/simex/server/backend.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trader::simex::transport {

/// Parses one admin fault spec (`{"kind":"http_429","count":5,"path_prefix":…}`) or a JSON
/// array of them into engine rules; nullopt with error set when invalid. Kinds are the
/// engine's (`rate_limit`, `server_error`, …, `status_flip`) or the admin names `http_429`,
/// `http_5xx`, `reset`, `drop_reply`, `ws_stale` (the whole feed stops: `stale_quotes` on
/// channel "*"). A rule is counted under the kind it was given.
std::optional<std::vector<fault_rule>> parse_fault_specs(std::string_view json, std::string& error);

/// GET /faults: the plan's live rules, installed first:
/// `[{"id","kind","source":"admin"|"scenario","method","path_prefix","channel","product_id",
/// "remaining","remaining_ms"}]` (-1 = unlimited / open-ended).
std::string faults_json(const fault_plan& plan, ts_ns now);

/// What a connection does with a request once the fault plan has decided.
enum class fault_step {
  process,             ///< no fault: authenticate, answer
  answer,              ///< send the reply the decision filled in (429, 5xx)
  process_later,       ///< wait the decision's delay, then process
  reset,               ///< close with RST, never answer
  hold,                ///< keep the connection open, never answer
  process_then_reset,  ///< process (the order exists), then RST instead of the reply
  process_then_mangle, ///< process, then rewrite the reply's body (messy_fills: disorder_fills)
};

/// messy_fills: the body of a fills list reply (`{"fills":[…],"cursor":…}`) with its fills in
/// reverse order, listed twice (the second copy again reversed after the first), and the
/// fills whose trade id hashes odd (FNV-1a) left out: they come when the rule is no longer
/// live, behind newer fills. Anything that is not such a body comes back unchanged.
std::string disorder_fills(std::string_view body);

/// Fills out from a `respond` decision (status, body, headers, Content-Type) and returns the
/// connection's step.
fault_step carry_out(rest_decision& d, reply& out);

} // namespace trader::simex::transport
