#include "runtime/systemd/systemd_notify.hpp"

#include <algorithm>
#include <cstdlib>
#include <systemd/sd-daemon.h>

namespace trader::systemd {

std::string sanitize_status(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  for (char c : text) {
    if (out.size() >= max_bytes)
      break;
    auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  return out;
}

bool notifier::enabled() const {
  const char* s = std::getenv("NOTIFY_SOCKET");  // NOLINT(concurrency-mt-unsafe): we never setenv, reads are safe
  return s != nullptr && *s != '\0';
}

bool notifier::send(const std::string& state) {
  if (!enabled())
    return true;
  int rc = sd_notify(0, state.c_str());
  if (rc > 0)
    return true;
  ++failures_;
  return false;
}

bool notifier::ready(std::string_view status) {
  std::string msg = "READY=1";
  if (!status.empty())
    msg += "\nSTATUS=" + sanitize_status(status);
  return send(msg);
}

bool notifier::status(std::string_view text) { return send("STATUS=" + sanitize_status(text)); }

bool notifier::watchdog() { return send("WATCHDOG=1"); }

bool notifier::watchdog_trigger() { return send("WATCHDOG=trigger"); }

bool notifier::reloading() { return send("RELOADING=1"); }

bool notifier::stopping(std::string_view status) {
  std::string msg = "STOPPING=1";
  if (!status.empty())
    msg += "\nSTATUS=" + sanitize_status(status);
  return send(msg);
}

bool notifier::extend_timeout(std::chrono::microseconds d) {
  return send("EXTEND_TIMEOUT_USEC=" + std::to_string(d.count()));
}

std::optional<std::chrono::microseconds> notifier::watchdog_interval() const {
  std::uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0)
    return std::chrono::microseconds(usec);
  return std::nullopt;
}

// -- watchdog_policy ----------------------------------------------------------

watchdog_policy::watchdog_policy(std::chrono::microseconds interval) : interval_ns_(interval.count() * 1000) {}

void watchdog_policy::healthy(std::int64_t now_ns) {
  healthy_ = true;
  last_healthy_ns_ = now_ns;
}

void watchdog_policy::unhealthy(std::int64_t) { healthy_ = false; }

bool watchdog_policy::due(std::int64_t now_ns) const {
  if (interval_ns_ <= 0 || !healthy_ || last_healthy_ns_ < 0)
    return false;
  if (now_ns - last_healthy_ns_ >= interval_ns_)
    return false;  // the heartbeat is stale: something is wedged
  return last_ping_ns_ < 0 || now_ns - last_ping_ns_ >= interval_ns_ / 2;
}

void watchdog_policy::ping_sent(std::int64_t now_ns) { last_ping_ns_ = now_ns; }

std::chrono::microseconds watchdog_policy::check_period() const {
  if (interval_ns_ <= 0)
    return std::chrono::seconds(1);
  return std::chrono::microseconds(std::max<std::int64_t>(interval_ns_ / 4000, 1000));
}

} // namespace trader::systemd
