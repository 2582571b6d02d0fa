#pragma once
// The alerting actor: dedupes, escalates and delivers alerts (alert_engine +
// alert_dispatcher). Today it delivers to the log sink; the HTTP sinks (webhook, PagerDuty,
// Telegram, JSON) plug into the same dispatcher with their transport and secrets.
// Receives: alert (any actor), alert_test and alert_ack (operator, via control),
//           alerting_tick (itself, every 10 s: escalations).
// Sends:    audit_entry "alert" → audit.
// On failure: permanent child of `infra`; active alerts are lost (they are re-raised by
//             their sources while the condition lasts).

#include <caf/fwd.hpp>

namespace trader::core {
class registry;
}

namespace trader::alerting {

caf::actor spawn_alerting(caf::actor_system& sys, core::registry& reg);

} // namespace trader::alerting
