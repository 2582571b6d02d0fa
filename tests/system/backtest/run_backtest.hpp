#pragma once
// Runs the backtest binary (BACKTEST_BIN, a compile definition of the test) with `args`,
// stdout and stderr together: the exit code and everything it printed.
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace backtest_test {

struct ran {
  int code = -1;
  std::string out;
};

inline ran backtest(const std::string& args) {
  ran r;
  FILE* p = ::popen((std::string{BACKTEST_BIN} + " " + args + " 2>&1").c_str(), "r");
  if (p == nullptr)
    return r;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
    r.out.append(buf, n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

} // namespace backtest_test
