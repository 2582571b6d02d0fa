#include "tools/traderd/signals.hpp"

#include <cerrno>
#include <csignal>
#include <ctime>

namespace trader::daemon {

namespace {
sigset_t daemon_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);
  return set;
}
} // namespace

void block_daemon_signals() {
  auto set = daemon_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

signal_event wait_for_signal(std::chrono::milliseconds timeout) {
  auto set = daemon_set();
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  ts.tv_nsec = static_cast<long>(timeout.count() % 1000) * 1'000'000L;
  int sig = sigtimedwait(&set, nullptr, &ts);
  if (sig == SIGTERM || sig == SIGINT)
    return signal_event::stop;
  if (sig == SIGHUP)
    return signal_event::reload;
  if (sig == SIGUSR1)
    return signal_event::kill;
  return signal_event::none;  // Timeout or EINTR.
}

} // namespace trader::daemon
