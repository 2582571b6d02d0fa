#pragma once
// The alerting actor: dedupes, escalates and delivers alerts (alert_engine +
// alert_dispatcher), and watches API key ages (secret rotation). Deliveries to the HTTP
// sinks (Slack-compatible webhook, PagerDuty, Telegram, generic JSON) run on a
// delivery_worker thread with retries and backoff, so no actor — alerting included —
// ever blocks on a sink.
// Receives: alert (any actor), alert_test and alert_ack (operator, via control),
//           config_changed (traderd: [alerts] re-read through alerting_deps::reload),
//           its own ticks (escalations every tick_interval, key ages every
//           rotation_check_interval).
// Sends:    audit_entry "alert" / "operator" → audit.
// On failure: permanent child of `infra`; active alerts are lost (they are re-raised by
//             their sources while the condition lasts); queued deliveries are lost.

#include "actors/infra/alerting/alerting_options.hpp"

#include <caf/fwd.hpp>

#include <functional>
#include <memory>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::alerting {

class alert_transport;

/// What the actor uses besides its options; every member may stay default.
struct alerting_deps {
  const time_source* clock = nullptr;           ///< Engine and key ages; null = system clock.
  const time_source* delivery_clock = nullptr;  ///< Retry backoff; null = system clock.
  std::shared_ptr<alert_transport> transport;   ///< null = net_alert_transport (verified TLS).
  prometheus::Registry* metrics = nullptr;      ///< trader_alerting_* go here; null = not exported.
  std::function<alerting_options()> reload;     ///< Re-reads [alerts] + secrets on config_changed.
};

caf::actor spawn_alerting(caf::actor_system& sys, core::registry& reg, alerting_options opts,
                          alerting_deps deps = {});

} // namespace trader::alerting
