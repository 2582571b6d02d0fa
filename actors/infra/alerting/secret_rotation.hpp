#pragma once
// Secret rotation policy: an API key's age against WARNING (80 days) and CRITICAL (past 90
// days) thresholds, as a pure function; the result becomes a secret_rotation_due alert.
// No CAF.

#include "messages/ops.hpp"

#include <optional>
#include <string>

namespace trader::alerting {

/// Thresholds in days.
struct rotation_policy {
  int warning_days = 80;   ///< Age at which a WARNING fires, days, 1..3650.
  int critical_days = 90;  ///< Age past which it is CRITICAL, days, > warning_days.
};

/// Where a key stands.
enum class rotation_status { ok, warning, critical, unknown };

/// The verdict on one key.
struct rotation_verdict {
  rotation_status status = rotation_status::unknown;
  double age_days = 0;  ///< Age at now; 0 when unknown.
  std::string reason;   ///< "SECRET_ROTATION: key=coinbase_api_key age_days=84.2 warning_days=80".
};

/// Judges a key created at created (wall ns; 0 = unknown) as of now.
rotation_verdict check_secret_age(const std::string& key_name, ts_ns created, ts_ns now, const rotation_policy& p = {});

/// The secret_rotation_due alert for a warning/critical verdict (fingerprint per key), the
/// resolve for an ok one, nothing for unknown.
std::optional<alert> rotation_alert(const std::string& key_name, const rotation_verdict& v, ts_ns now);

} // namespace trader::alerting
