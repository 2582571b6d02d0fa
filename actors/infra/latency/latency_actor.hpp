#pragma once
// The latency actor: per endpoint / stage percentiles and budgets.
// Receives: latency_sample (every actor; rate_limiter forwards one per exchange call) →
//             recorded in a 5-minute window and a lifetime histogram (bounded keys);
//           latency_report_request (control, `traderctl latency`) → JSON string (see
//             report_json in latency_options.hpp);
//           its own check tick (every check_interval_ms) → budget verdicts;
//           the liveness probe ("lv_probe") → mailbox depth.
// Sends:    alert "latency_budget_violation" WARNING → alerting per key over budget
//           (fingerprint per key; deduplicated there), resolved when back under budget.
// On failure: permanent child of `infra`; windows restart empty. Lifetime baselines are
//             not persisted yet (encode_baseline exists; it needs the state store).

#include "actors/infra/latency/latency_options.hpp"

#include <caf/fwd.hpp>

#include <memory>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::latency {

/// trader_latency_* are declared in metrics, which must outlive the actor (traderd's
/// exporter registry; a test's own).
caf::actor spawn_latency(caf::actor_system& sys, core::registry& reg, options opts, prometheus::Registry& metrics);

} // namespace trader::latency
