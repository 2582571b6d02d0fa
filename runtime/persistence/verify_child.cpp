// verify_in_child: the integrity check in a forked process, so a corrupted page that
// crashes LMDB's reader crashes the child, not the daemon.

#include "runtime/persistence/verify.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace trader::persistence {

namespace {

std::string clean(std::string s) {
  for (auto& c : s)
    if (c == '\t' || c == '\n' || c == '\r')
      c = ' ';
  return s;
}

std::string serialize(const verify_report& rep) {
  std::string out = "S\t" + std::to_string(rep.schema_version) + "\n";
  for (const auto& [db, n] : rep.counts)
    out += "C\t" + clean(db) + "\t" + std::to_string(n) + "\n";
  for (const auto& p : rep.problems)
    out += "P\t" + std::string(to_string(p.code)) + "\t" + clean(p.db) + "\t" + clean(p.key) + "\t"
           + clean(p.message) + "\n";
  return out;
}

store_errc code_from(const std::string& name) {
  for (int i = 0; i <= static_cast<int>(store_errc::invalid_argument); ++i)
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

void parse(const std::string& text, verify_report& rep) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    if (nl == std::string::npos)
      break;  // an unterminated line: the child died mid-write
    auto f = split(text.substr(start, nl - start));
    start = nl + 1;
    try {
      if (f[0] == "S" && f.size() == 2)
        rep.schema_version = static_cast<std::uint32_t>(std::stoul(f[1]));
      else if (f[0] == "C" && f.size() == 3)
        rep.counts[f[1]] = std::stoul(f[2]);
      else if (f[0] == "P" && f.size() == 5)
        rep.problems.push_back({code_from(f[1]), f[2], f[3], f[4]});
    } catch (const std::exception&) {
      rep.problems.push_back({store_errc::verify_failed, "", "", "unreadable verify output"});
    }
  }
}

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

} // namespace

verify_report verify_in_child(const std::string& dir, std::chrono::seconds timeout) {
  verify_report rep;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    rep.problems.push_back({store_errc::verify_failed, "", "", std::string("pipe: ") + std::strerror(errno)});
    return rep;
  }
  pid_t pid = fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    rep.problems.push_back({store_errc::verify_failed, "", "", std::string("fork: ") + std::strerror(errno)});
    return rep;
  }
  if (pid == 0) {
    ::close(fds[0]);
    rlimit no_core{0, 0};
    setrlimit(RLIMIT_CORE, &no_core);  // a crash here is an expected outcome, not a core dump
    for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT})
      std::signal(sig, SIG_DFL);  // die by the signal, whatever crash handler the host installed
    // Nothing may escape this block: the child must never return into the caller's code.
    int code = 1;
    try {
      auto child_rep = verify_dir(dir);
      write_all(fds[1], serialize(child_rep) + "E\n");
      code = child_rep.problems.empty() ? 0 : 1;
    } catch (...) {
      write_all(fds[1], "P\tcorrupted\t\t\tverify failed with an exception\nE\n");
    }
    _exit(code);
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
  bool complete = text.size() >= 2 && text.compare(text.size() - 2, 2, "E\n") == 0;
  if (waited < 0 && !timed_out) {
    // SIGCHLD ignored by the host process: no exit status, so only a full report counts.
    parse(text, rep);
    if (!complete) {
      rep.crashed = true;
      rep.problems.push_back({store_errc::verify_crashed, "", "",
                              "verify child ended without a full report (exit status unavailable)"});
    }
    return rep;
  }
  if (timed_out) {
    rep.crashed = true;
    rep.signal = SIGKILL;
    rep.problems.push_back({store_errc::verify_crashed, "", "",
                            "verify timed out after " + std::to_string(timeout.count()) + " s and was killed"});
    return rep;
  }
  if (WIFSIGNALED(status)) {
    rep.crashed = true;
    rep.signal = WTERMSIG(status);
    rep.problems.push_back({store_errc::verify_crashed, "", "",
                            "verify crashed with signal " + std::to_string(rep.signal) + " ("
                              + strsignal(rep.signal) + "); the data file is corrupted"});
    return rep;
  }
  parse(text, rep);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (!complete || (code != 0 && code != 1) || (code == 1 && rep.problems.empty()))
    rep.problems.push_back({store_errc::verify_failed, "", "",
                            "verify child exited with status " + std::to_string(code) + " without a full report"});
  return rep;
}

} // namespace trader::persistence
