#pragma once
// Verify from a multithreaded process (traderd's periodic re-verify): fork() there is
// unsafe, so a helper binary is started with posix_spawn — `traderctl state verify --child
// PPID` — which runs run_verify_child. The helper dies with its parent (PR_SET_PDEATHSIG)
// and inherits no descriptor but its stdout pipe (everything else is O_CLOEXEC), so it can
// never hold traderd's instance lock. The caller polls without blocking.

#include "runtime/persistence/result.hpp"
#include "runtime/persistence/verify.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace trader::persistence {

/// A verify running in a spawned helper process. Killed and reaped on destruction.
class verify_process {
public:
  /// Spawns argv (argv[0] a path) with stdout on a pipe; it must print serialize_report's
  /// format. Killed after timeout (0 = verify_timeout_for_dir(dir)).
  static result<verify_process> start(const std::vector<std::string>& argv, const std::string& dir,
                                      std::chrono::seconds timeout = std::chrono::seconds{0});
  verify_process(verify_process&& o) noexcept;
  verify_process& operator=(verify_process&&) = delete;
  verify_process(const verify_process&) = delete;
  ~verify_process();

  /// Without blocking: reads what the helper wrote, reaps it when it has exited, kills it
  /// past its deadline. The report once it is finished, nullopt while it runs.
  std::optional<verify_report> poll();
  /// Blocks until the report (poll in a loop, waiting on the pipe).
  verify_report wait();
  pid_t pid() const { return pid_; }
  std::chrono::seconds timeout() const { return timeout_; }

private:
  verify_process(pid_t pid, int fd, std::chrono::seconds timeout);
  pid_t pid_ = -1;
  int fd_ = -1;
  std::chrono::seconds timeout_;
  std::chrono::steady_clock::time_point deadline_;
  std::string text_;
};

/// The helper command for dir: {helper, "--state-dir", dir, "state", "verify", "--child",
/// <this pid>}.
std::vector<std::string> verify_helper_argv(const std::string& helper, const std::string& dir);

/// The traderctl next to this process's executable (/proc/self/exe), or "" if there is none.
std::string default_verify_helper();

/// `traderctl state verify --child PPID`: becomes a verify child of parent_pid (dies with
/// it), verifies dir and writes the report to stdout. Returns the exit code.
int run_verify_child(const std::string& dir, pid_t parent_pid);

} // namespace trader::persistence
