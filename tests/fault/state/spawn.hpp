#pragma once
// Runs a child process with stdout on a pipe (for the fault tests).

#include <chrono>
#include <string>
#include <vector>

namespace trader::persistence::testing {

/// A running child whose stdout we read.
struct child_process {
  int pid = -1;
  int out_fd = -1;
};

/// posix_spawn's argv[0] with args; stdout goes to a pipe, stderr is inherited; extra_env
/// ("NAME=value") is added to this process's environment.
child_process spawn_child(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env = {});

/// Reads what is available until `until`; stops early at EOF. Returns false at EOF.
bool read_for(child_process& c, std::string& out, std::chrono::milliseconds max_wait);

/// Reads until a full line starting with prefix arrives (or EOF / timeout).
bool wait_for_line(child_process& c, std::string& out, const std::string& prefix,
                   std::chrono::milliseconds max_wait);

/// SIGKILLs (when kill_it) and reaps the child, reads the rest of its output; returns the
/// wait status.
int finish_child(child_process& c, std::string& out, bool kill_it);

/// The complete lines of text (a torn last line is dropped).
std::vector<std::string> full_lines(const std::string& text);

} // namespace trader::persistence::testing
