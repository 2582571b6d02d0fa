// verify_in_child: the integrity check in a forked process, so a corrupted page that
// crashes LMDB's reader crashes the child, not the daemon. Also the report's line format
// shared with verify_process (verify_spawn.cpp) and the timeout scaled to the file size.

#include "runtime/persistence/verify.hpp"

#include "runtime/errno_text.hpp"
#include "runtime/persistence/verify_io.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace trader::persistence {

namespace {

/// The signal's description ("Segmentation fault"); strsignal's buffer is not thread-safe.
std::string signal_text(int sig) {
  const char* d = sigdescr_np(sig);
  return d ? d : "unknown signal " + std::to_string(sig);
}

std::string clean(std::string s) {
  for (auto& c : s)
    if (c == '\t' || c == '\n' || c == '\r')
      c = ' ';
  return s;
}

store_errc code_from(const std::string& name) {
  for (int i = 0; i <= static_cast<int>(last_store_errc); ++i)
    if (name == to_string(static_cast<store_errc>(i)))
      return static_cast<store_errc>(i);
  return store_errc::verify_failed;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos)
      return out;
    start = tab + 1;
  }
}

} // namespace

std::string serialize_report(const verify_report& rep) {
  std::string out = "S\t" + std::to_string(rep.schema_version) + "\n";
  out += "Q\t" + std::to_string(rep.commit_seq) + "\n";
  for (const auto& [db, n] : rep.counts)
    out += "C\t" + clean(db) + "\t" + std::to_string(n) + "\n";
  for (const auto& p : rep.problems)
    out += "P\t" + std::string(to_string(p.code)) + "\t" + clean(p.db) + "\t" + clean(p.key) + "\t"
           + clean(p.message) + "\n";
  return out + "E\n";
}

bool parse_report(const std::string& text, verify_report& rep) {
  std::size_t start = 0;
  bool complete = false;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos)
      break;  // an unterminated line: the child died mid-write
    auto f = split(text.substr(start, nl - start));
    start = nl + 1;
    try {
      if (f[0] == "S" && f.size() == 2)
        rep.schema_version = static_cast<std::uint32_t>(std::stoul(f[1]));
      else if (f[0] == "Q" && f.size() == 2)
        rep.commit_seq = std::stoull(f[1]);
      else if (f[0] == "C" && f.size() == 3)
        rep.counts[f[1]] = std::stoul(f[2]);
      else if (f[0] == "P" && f.size() == 5)
        rep.problems.push_back({code_from(f[1]), f[2], f[3], f[4]});
      else if (f[0] == "E" && f.size() == 1)
        complete = true;
    } catch (const std::exception&) {
      rep.problems.push_back({store_errc::verify_failed, "", "", "unreadable verify output"});
    }
  }
  return complete;
}

std::chrono::seconds verify_timeout_for(std::uintmax_t bytes) {
  return std::chrono::seconds{60 + static_cast<std::int64_t>(bytes / (std::uintmax_t{8} << 20))};
}

std::chrono::seconds verify_timeout_for_dir(const std::string& dir) {
  std::error_code ec;
  auto bytes = std::filesystem::file_size(std::filesystem::path(dir) / "data.mdb", ec);
  return verify_timeout_for(ec ? 0 : bytes);
}

namespace detail {

void write_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    auto n = ::write(fd, s.data() + off, s.size() - off);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return;
    off += static_cast<std::size_t>(n);
  }
}

void become_verify_child(pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the daemon (nor keep reading its store)
  if (::getppid() != parent)
    _exit(3);  // the parent died before the line above took effect
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);  // a crash here is an expected outcome, not a core dump
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
    std::signal(sig, SIG_DFL);  // die by the signal, whatever crash handler the host installed
}

int run_verify(const std::string& dir, int out_fd) {
  // Nothing may escape: the child must never return into the caller's code.
  try {
    auto rep = verify_dir(dir);
    write_all(out_fd, serialize_report(rep));
    return rep.problems.empty() ? 0 : 1;
  } catch (...) {
    write_all(out_fd, "P\tcorrupted\t\t\tverify failed with an exception\nE\n");
    return 1;
  }
}

verify_report finish_report(const std::string& text, bool reaped, int status, bool timed_out,
                            std::chrono::seconds timeout) {
  verify_report rep;
  if (timed_out) {
    rep.crashed = true;
    rep.signal = SIGKILL;
    rep.problems.push_back({store_errc::verify_crashed, "", "",
                            "verify timed out after " + std::to_string(timeout.count()) + " s and was killed"});
    return rep;
  }
  if (!reaped) {
    // SIGCHLD ignored by the host process: no exit status, so only a full report counts.
    if (!parse_report(text, rep)) {
      rep.crashed = true;
      rep.problems.push_back({store_errc::verify_crashed, "", "",
                              "verify child ended without a full report (exit status unavailable)"});
    }
    return rep;
  }
  if (WIFSIGNALED(status)) {
    rep.crashed = true;
    rep.signal = WTERMSIG(status);
    rep.problems.push_back({store_errc::verify_crashed, "", "",
                            "verify crashed with signal " + std::to_string(rep.signal) + " ("
                              + signal_text(rep.signal) + "); the data file is corrupted"});
    return rep;
  }
  bool complete = parse_report(text, rep);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (!complete || (code != 0 && code != 1) || (code == 1 && rep.problems.empty()))
    rep.problems.push_back({store_errc::verify_failed, "", "",
                            "verify child exited with status " + std::to_string(code) + " without a full report"});
  return rep;
}

} // namespace detail

verify_report verify_in_child(const std::string& dir, std::chrono::seconds timeout) {
  if (timeout.count() <= 0)
    timeout = verify_timeout_for_dir(dir);
  verify_report rep;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    rep.problems.push_back({store_errc::verify_failed, "", "", std::string("pipe: ") + trader::errno_text(errno)});
    return rep;
  }
  pid_t parent = ::getpid();
  pid_t pid = fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    rep.problems.push_back({store_errc::verify_failed, "", "", std::string("fork: ") + trader::errno_text(errno)});
    return rep;
  }
  if (pid == 0) {
    ::close(fds[0]);
    detail::become_verify_child(parent);
    // Close every inherited descriptor but the pipe: above all traderd's instance-lock fd,
    // whose flock would otherwise outlive traderd in a child stuck on a damaged page.
    int out = fds[1];
    if (out < 3 && (out = ::fcntl(fds[1], F_DUPFD_CLOEXEC, 3)) < 0)
      _exit(4);
    if (out > 3)
      ::close_range(3, static_cast<unsigned>(out - 1), 0);
    ::close_range(static_cast<unsigned>(out + 1), ~0U, 0);
    _exit(detail::run_verify(dir, out));
  }
  ::close(fds[1]);
  std::string text;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int pr = poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (pr < 0 && errno == EINTR)
      continue;
    if (pr <= 0)
      continue;
    char buf[4096];
    auto n = ::read(fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    text.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out)
    kill(pid, SIGKILL);
  int status = 0;
  int waited = 0;
  while ((waited = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
  }
  return detail::finish_report(text, waited >= 0, status, timed_out, timeout);
}

} // namespace trader::persistence
