#pragma once
// Starts the real simex binary on port 0 and reads the ports it prints; SIGTERM on scope exit.

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace trader::testing {

class simex_process {
public:
  explicit simex_process(std::vector<std::string> args) {
    int out[2];
    if (::pipe(out) != 0)
      throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      std::string bin = SIMEX_BIN;
      argv.push_back(bin.data());
      for (auto& a : args)
        argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(bin.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    std::string line;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n')
      line += c;
    ::close(out[0]);
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("rest_port"))
      throw std::runtime_error("simex did not print its ports: '" + line + "'");
    rest_port = j["rest_port"].get<int>();
    ws_port = j["ws_port"].get<int>();
    admin_port = j["admin_port"].get<int>();
  }
  ~simex_process() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  simex_process(const simex_process&) = delete;
  simex_process& operator=(const simex_process&) = delete;

  std::string rest(const char* scheme = "http") const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(rest_port);
  }
  std::string ws(const char* scheme = "ws") const {
    return std::string(scheme) + "://127.0.0.1:" + std::to_string(ws_port) + "/";
  }
  std::string admin() const { return "http://127.0.0.1:" + std::to_string(admin_port); }

  int rest_port = 0, ws_port = 0, admin_port = 0;

private:
  pid_t pid_ = -1;
};

} // namespace trader::testing
