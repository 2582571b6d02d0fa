#pragma once
// JSON views of the alerting state for control commands (`traderctl alert list`, the
// results of `alert ack` / `alert test`). No CAF; nlohmann::json on this cold path.

#include "actors/infra/alerting/alert_engine.hpp"
#include "actors/infra/alerting/delivery_queue.hpp"

#include <nlohmann/json.hpp>

namespace trader::alerting {

/// {"fingerprint","type","severity","title","detail","source","last_seen" (RFC 3339 of the
///  latest occurrence),"age_s","occurrences","escalation_level","acknowledged",
///  "acknowledged_by"}.
nlohmann::json to_json(const active_alert& a);

/// {"active":[...], "stats":{raised, deduplicated, escalations, acknowledged, resolved},
///  "delivery":{delivered, retries, dead_letters, pending}}.
nlohmann::json status_json(const alert_engine& engine, const delivery_queue& queue);

} // namespace trader::alerting
