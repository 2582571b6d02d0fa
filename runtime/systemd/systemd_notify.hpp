#pragma once
// sd_notify(3) for traderd: READY=1 after the tree is up, STATUS= one-liners, WATCHDOG=1
// while the supervisor sees the tree healthy, STOPPING=1 on shutdown. Every call is a
// no-op when NOTIFY_SOCKET is unset (run from a shell, tests). No CAF.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trader::systemd {

/// Sends service-manager notifications. Stateless: NOTIFY_SOCKET is read on every call.
class notifier {
public:
  /// True when NOTIFY_SOCKET is set (started by systemd with Type=notify).
  bool enabled() const;
  /// READY=1 (and STATUS=status when non-empty). True if sent or not under systemd.
  bool ready(std::string_view status = {});
  /// STATUS=text; newlines become spaces, at most 200 bytes.
  bool status(std::string_view text);
  /// WATCHDOG=1: the service is alive and healthy.
  bool watchdog();
  /// WATCHDOG=trigger: ask systemd to treat the service as hung now.
  bool watchdog_trigger();
  /// RELOADING=1 then, when done, ready() again.
  bool reloading();
  /// STOPPING=1 (and STATUS=status when non-empty).
  bool stopping(std::string_view status = {});
  /// EXTEND_TIMEOUT_USEC=d: more time for a slow start or stop.
  bool extend_timeout(std::chrono::microseconds d);
  /// WatchdogSec as set by systemd for this process (sd_watchdog_enabled), or nullopt.
  std::optional<std::chrono::microseconds> watchdog_interval() const;
  /// Messages that failed to send (NOTIFY_SOCKET set but unreachable).
  std::uint64_t failures() const { return failures_; }

private:
  bool send(const std::string& state);
  std::uint64_t failures_ = 0;
};

/// One STATUS= value: single line, printable, at most max_bytes.
std::string sanitize_status(std::string_view text, std::size_t max_bytes = 200);

/// Decides when to send WATCHDOG=1: every interval/2, and only while a healthy heartbeat
/// (from the supervisor's view of the tree) is fresher than the interval. A wedged actor or
/// scheduler stops the heartbeats, the pings stop, and systemd restarts the service.
/// Pure: time is an argument (monotonic ns).
class watchdog_policy {
public:
  /// interval: WatchdogSec; zero disables pinging.
  explicit watchdog_policy(std::chrono::microseconds interval);
  /// The supervisor saw the whole tree healthy at now.
  void healthy(std::int64_t now_ns);
  /// The supervisor saw a wedged or failed child; pings stop until healthy() again.
  void unhealthy(std::int64_t now_ns);
  /// True when a WATCHDOG=1 should be sent at now; call ping_sent() after sending.
  bool due(std::int64_t now_ns) const;
  /// Records that a ping went out at now.
  void ping_sent(std::int64_t now_ns);
  /// How often to call due(): interval/4 (1 s when disabled).
  std::chrono::microseconds check_period() const;

private:
  std::int64_t interval_ns_;
  std::int64_t last_healthy_ns_ = -1;
  std::int64_t last_ping_ns_ = -1;
  bool healthy_ = false;
};

} // namespace trader::systemd
