#include "actors/infra/alerting/secret_rotation.hpp"

#include "runtime/core/names.hpp"

#include <cstdio>

namespace trader::alerting {

namespace {

constexpr double ns_per_day = 86400.0 * 1e9;

std::string render(const std::string& key, double age, const char* limit_name, int limit) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "SECRET_ROTATION: key=%s age_days=%.1f %s=%d", key.c_str(), age, limit_name, limit);
  return buf;
}

} // namespace

rotation_verdict check_secret_age(const std::string& key_name, ts_ns created, ts_ns now, const rotation_policy& p) {
  rotation_verdict v;
  if (created <= 0 || created > now) {
    v.reason = "SECRET_ROTATION: key=" + key_name + " age unknown (no creation time recorded)";
    return v;
  }
  v.age_days = static_cast<double>(now - created) / ns_per_day;
  auto age_ns = now - created;
  auto days_ns = [](int d) { return static_cast<std::int64_t>(d) * 86400 * 1'000'000'000LL; };
  if (age_ns > days_ns(p.critical_days)) {
    v.status = rotation_status::critical;
    v.reason = render(key_name, v.age_days, "critical_days", p.critical_days);
  } else if (age_ns >= days_ns(p.warning_days)) {
    v.status = rotation_status::warning;
    v.reason = render(key_name, v.age_days, "warning_days", p.warning_days);
  } else {
    v.status = rotation_status::ok;
    v.reason = render(key_name, v.age_days, "warning_days", p.warning_days);
  }
  return v;
}

std::optional<alert> rotation_alert(const std::string& key_name, const rotation_verdict& v, ts_ns now) {
  if (v.status == rotation_status::unknown)
    return std::nullopt;
  alert a;
  a.type = "secret_rotation_due";
  a.fingerprint = "secret_rotation_due:" + key_name;
  a.source = names::alerting;
  a.ts = now;
  a.detail = v.reason;
  switch (v.status) {
    case rotation_status::ok:
      a.resolved = true;
      a.level = severity::info;
      a.title = "API key " + key_name + " was rotated";
      break;
    case rotation_status::warning:
      a.level = severity::warning;
      a.title = "Rotate API key " + key_name + " soon";
      break;
    case rotation_status::critical:
      a.level = severity::critical;
      a.title = "API key " + key_name + " is past its rotation deadline";
      break;
    case rotation_status::unknown: return std::nullopt;
  }
  return a;
}

} // namespace trader::alerting
