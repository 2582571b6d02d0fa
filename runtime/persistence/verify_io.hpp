#pragma once
// Internals shared by the two ways to run verify out of process: verify_in_child (fork)
// and verify_process (posix_spawn of a helper). Not for other callers.

#include "runtime/persistence/verify.hpp"

#include <chrono>
#include <string>
#include <sys/types.h>

namespace trader::persistence::detail {

/// Writes s completely (EINTR retried); gives up silently on a closed pipe.
void write_all(int fd, const std::string& s);

/// First steps of a verify child: die with `parent` (PR_SET_PDEATHSIG, and exit at once if
/// it is already gone), no core dump, crash signals at their default action.
void become_verify_child(pid_t parent);

/// verify_dir(dir), its report written to out_fd in serialize_report's format; returns the
/// exit code (0 sound, 1 problems). Never throws.
int run_verify(const std::string& dir, int out_fd);

/// The report of a finished child: its output, whether it was reaped (false when SIGCHLD is
/// ignored), its wait status, and whether it was killed for running past timeout.
verify_report finish_report(const std::string& text, bool reaped, int status, bool timed_out,
                            std::chrono::seconds timeout);

} // namespace trader::persistence::detail
