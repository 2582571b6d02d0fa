// Verifies the sd_notify wrapper against a fake NOTIFY_SOCKET, and the watchdog policy.

#include "runtime/systemd/systemd_notify.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace trader::systemd;
using namespace std::chrono_literals;

namespace {

/// A datagram socket posing as systemd's notify socket; sets NOTIFY_SOCKET while alive.
class fake_notify_socket {
public:
  fake_notify_socket() {
    path_ = "/tmp/trader-notify-" + std::to_string(::getpid()) + ".sock";
    ::unlink(path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{2, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
  }
  ~fake_notify_socket() {
    ::unsetenv("NOTIFY_SOCKET");
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  /// The next datagram, or "" after 2 s.
  std::string next() {
    char buf[4096];
    auto n = ::recv(fd_, buf, sizeof buf, 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

private:
  std::string path_;
  int fd_ = -1;
};

} // namespace

TEST(SystemdNotify, IsANoOpWithoutNotifySocket) {
  ::unsetenv("NOTIFY_SOCKET");
  notifier n;
  EXPECT_FALSE(n.enabled());
  EXPECT_TRUE(n.ready("up"));
  EXPECT_TRUE(n.watchdog());
  EXPECT_TRUE(n.stopping());
  EXPECT_EQ(n.failures(), 0u);
}

TEST(SystemdNotify, SendsReadyStatusWatchdogAndStopping) {
  fake_notify_socket sd;
  notifier n;
  ASSERT_TRUE(n.enabled());
  EXPECT_TRUE(n.ready());
  EXPECT_EQ(sd.next(), "READY=1");
  EXPECT_TRUE(n.status("DRY_RUN, 19 actors up, gate closed: reconcile_pending"));
  EXPECT_EQ(sd.next(), "STATUS=DRY_RUN, 19 actors up, gate closed: reconcile_pending");
  EXPECT_TRUE(n.watchdog());
  EXPECT_EQ(sd.next(), "WATCHDOG=1");
  EXPECT_TRUE(n.stopping());
  EXPECT_EQ(sd.next(), "STOPPING=1");
}

TEST(SystemdNotify, ReadyAndStoppingMayCarryAStatus) {
  fake_notify_socket sd;
  notifier n;
  n.ready("tree up");
  EXPECT_EQ(sd.next(), "READY=1\nSTATUS=tree up");
  n.stopping("draining");
  EXPECT_EQ(sd.next(), "STOPPING=1\nSTATUS=draining");
}

TEST(SystemdNotify, StatusIsOneSanitisedLine) {
  fake_notify_socket sd;
  notifier n;
  n.status("a\nREADY=1");
  EXPECT_EQ(sd.next(), "STATUS=a READY=1");
  n.status(std::string(500, 'x'));
  EXPECT_EQ(sd.next().size(), 7u + 200u);
}

TEST(SystemdNotify, CountsFailuresWhenTheSocketIsGone) {
  ::setenv("NOTIFY_SOCKET", "/tmp/trader-notify-does-not-exist.sock", 1);
  notifier n;
  EXPECT_FALSE(n.watchdog());
  EXPECT_EQ(n.failures(), 1u);
  ::unsetenv("NOTIFY_SOCKET");
}

TEST(SystemdNotify, ReadsTheWatchdogIntervalFromTheEnvironment) {
  notifier n;
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
  EXPECT_FALSE(n.watchdog_interval());
  ::setenv("WATCHDOG_USEC", "20000000", 1);
  ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
  ASSERT_TRUE(n.watchdog_interval());
  EXPECT_EQ(*n.watchdog_interval(), 20s);
  ::setenv("WATCHDOG_PID", "1", 1);  // meant for another process
  EXPECT_FALSE(n.watchdog_interval());
  ::unsetenv("WATCHDOG_USEC");
  ::unsetenv("WATCHDOG_PID");
}

TEST(WatchdogPolicy, PingsEveryHalfIntervalWhileHealthy) {
  constexpr std::int64_t s = 1'000'000'000;
  watchdog_policy p(20s);
  EXPECT_FALSE(p.due(0));  // nothing reported yet
  p.healthy(0);
  EXPECT_TRUE(p.due(0));
  p.ping_sent(0);
  EXPECT_FALSE(p.due(9 * s));
  p.healthy(9 * s);
  EXPECT_TRUE(p.due(10 * s));
}

TEST(WatchdogPolicy, StopsPingingWhenTheHeartbeatGoesStale) {
  constexpr std::int64_t s = 1'000'000'000;
  watchdog_policy p(20s);
  p.healthy(0);
  p.ping_sent(0);
  EXPECT_TRUE(p.due(10 * s));
  p.ping_sent(10 * s);
  EXPECT_FALSE(p.due(20 * s));  // no heartbeat for a whole interval: wedged
  p.healthy(21 * s);
  EXPECT_TRUE(p.due(21 * s));
}

TEST(WatchdogPolicy, StopsPingingWhileUnhealthy) {
  watchdog_policy p(20s);
  p.healthy(0);
  p.unhealthy(1);
  EXPECT_FALSE(p.due(2));
}

TEST(WatchdogPolicy, DisabledWithoutInterval) {
  watchdog_policy p(0s);
  p.healthy(0);
  EXPECT_FALSE(p.due(0));
  EXPECT_EQ(p.check_period(), 1s);
  EXPECT_EQ(watchdog_policy(20s).check_period(), 5s);
}
