#include "spawn.hpp"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace trader::persistence::testing {

child_process spawn_child(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0)
    return {};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
  std::vector<char*> args;
  for (const auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> env;
  for (char** e = environ; *e; ++e)
    env.push_back(*e);
  for (const auto& e : extra_env)
    env.push_back(const_cast<char*>(e.c_str()));
  env.push_back(nullptr);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), env.data());
  posix_spawn_file_actions_destroy(&fa);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return {};
  }
  return {pid, fds[0]};
}

bool read_for(child_process& c, std::string& out, std::chrono::milliseconds max_wait) {
  auto deadline = std::chrono::steady_clock::now() + max_wait;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() < 0)
      return true;
    pollfd p{c.out_fd, POLLIN, 0};
    int pr = poll(&p, 1, static_cast<int>(left.count()));
    if (pr < 0 && errno == EINTR)
      continue;
    if (pr == 0)
      return true;
    char buf[4096];
    auto n = ::read(c.out_fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

bool wait_for_line(child_process& c, std::string& out, const std::string& prefix,
                   std::chrono::milliseconds max_wait) {
  auto deadline = std::chrono::steady_clock::now() + max_wait;
  while (std::chrono::steady_clock::now() < deadline) {
    for (const auto& l : full_lines(out))
      if (l.rfind(prefix, 0) == 0)
        return true;
    if (!read_for(c, out, std::chrono::milliseconds(5)))
      break;
  }
  for (const auto& l : full_lines(out))
    if (l.rfind(prefix, 0) == 0)
      return true;
  return false;
}

int finish_child(child_process& c, std::string& out, bool kill_it) {
  if (kill_it)
    kill(c.pid, SIGKILL);
  int status = 0;
  while (waitpid(c.pid, &status, 0) < 0 && errno == EINTR) {
  }
  // A grandchild (the verify child) may hold the pipe for a moment longer.
  read_for(c, out, std::chrono::milliseconds(10000));
  ::close(c.out_fd);
  c.out_fd = -1;
  return status;
}

std::vector<std::string> full_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos)
      return out;
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
}

} // namespace trader::persistence::testing
