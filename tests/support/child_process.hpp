#pragma once
// Runs a program (traderd, simex, traderctl) as a child process in system tests: its
// stdout and stderr go to files the test reads; signals and bounded waits, never hangs.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace trader::test {

class child_process {
public:
  /// Starts argv[0] with argv; output goes to <log_prefix>.out / .err; extra_env adds
  /// NAME=VALUE entries to the inherited environment.
  child_process(std::vector<std::string> argv, std::string log_prefix, std::vector<std::string> extra_env = {});
  ~child_process();  ///< SIGKILLs and reaps a child still running.
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  int pid() const { return pid_; }
  bool running();
  void signal(int sig);
  /// Waits up to timeout for the exit; the exit code (128+N for signal N) or nullopt.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  std::string out() const;
  std::string err() const;

private:
  int pid_ = -1;
  std::optional<int> status_;
  std::string out_path_;
  std::string err_path_;
};

/// Polls cond every 10 ms until it holds or timeout passes.
bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout);

/// A fresh directory under $TMPDIR (or /tmp), removed by the destructor.
class temp_dir {
public:
  explicit temp_dir(const std::string& tag);
  ~temp_dir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};

/// Writes text to path (creating parent directories).
void write_file(const std::string& path, const std::string& text);

} // namespace trader::test
