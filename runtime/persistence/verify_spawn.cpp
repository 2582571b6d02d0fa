#include "runtime/persistence/verify_spawn.hpp"

#include "runtime/errno_text.hpp"
#include "runtime/persistence/verify_io.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace trader::persistence {

verify_process::verify_process(pid_t pid, int fd, std::chrono::seconds timeout)
  : pid_(pid), fd_(fd), timeout_(timeout), deadline_(std::chrono::steady_clock::now() + timeout) {}

verify_process::verify_process(verify_process&& o) noexcept
  : pid_(o.pid_), fd_(o.fd_), timeout_(o.timeout_), deadline_(o.deadline_), text_(std::move(o.text_)) {
  o.pid_ = -1;
  o.fd_ = -1;
}

verify_process::~verify_process() {
  if (fd_ >= 0)
    ::close(fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

result<verify_process> verify_process::start(const std::vector<std::string>& argv, const std::string& dir,
                                             std::chrono::seconds timeout) {
  if (argv.empty() || argv[0].empty())
    return make_error(store_errc::verify_failed, "no verify helper binary");
  if (timeout.count() <= 0)
    timeout = verify_timeout_for_dir(dir);
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    return make_error(store_errc::verify_failed, std::string("pipe: ") + trader::errno_text(errno));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);  // dup2 clears O_CLOEXEC on fd 1
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawn(&pid, argv[0].c_str(), &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return make_error(store_errc::verify_failed, "spawn " + argv[0] + ": " + trader::errno_text(rc));
  }
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  return verify_process(pid, fds[0], timeout);
}

std::optional<verify_report> verify_process::poll() {
  if (pid_ <= 0)
    return std::nullopt;
  if (fd_ >= 0) {
    char buf[4096];
    for (;;) {
      auto n = ::read(fd_, buf, sizeof buf);
      if (n > 0) {
        text_.append(buf, static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0) {  // EOF: the helper closed its end (exited)
        ::close(fd_);
        fd_ = -1;
      }
      break;  // EAGAIN: nothing more for now
    }
  }
  int status = 0;
  pid_t w = ::waitpid(pid_, &status, WNOHANG);
  if (w < 0 && errno == EINTR)
    return std::nullopt;
  // ECHILD: the host ignores SIGCHLD, so no status; EOF on the pipe says it has ended.
  bool ended = w > 0 || (w < 0 && fd_ < 0);
  if (!ended) {
    if (std::chrono::steady_clock::now() < deadline_)
      return std::nullopt;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return detail::finish_report(text_, true, 0, true, timeout_);
  }
  if (fd_ >= 0) {  // exited: whatever is still in the pipe belongs to the report
    char buf[4096];
    for (ssize_t n; (n = ::read(fd_, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR);)
      if (n > 0)
        text_.append(buf, static_cast<std::size_t>(n));
    ::close(fd_);
    fd_ = -1;
  }
  pid_ = -1;
  return detail::finish_report(text_, w > 0, status, false, timeout_);
}

verify_report verify_process::wait() {
  for (;;) {
    if (auto rep = poll())
      return *rep;
    if (fd_ >= 0) {
      pollfd p{fd_, POLLIN, 0};
      ::poll(&p, 1, 100);
    } else {
      ::usleep(10'000);  // the helper closed stdout but has not exited yet
    }
  }
}

std::vector<std::string> verify_helper_argv(const std::string& helper, const std::string& dir) {
  return {helper, "--state-dir", dir, "state", "verify", "--child", std::to_string(::getpid())};
}

std::string default_verify_helper() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    return {};
  auto helper = self.parent_path() / "traderctl";
  if (::access(helper.c_str(), X_OK) != 0)
    return {};
  return helper.string();
}

int run_verify_child(const std::string& dir, pid_t parent_pid) {
  detail::become_verify_child(parent_pid);
  return detail::run_verify(dir, 1);
}

} // namespace trader::persistence
