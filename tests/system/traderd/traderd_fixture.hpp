#pragma once
// A traderd process started from a profile overlay of the shipped config/ whose paths
// point into a temporary directory; for the system tests.

#include "runtime/control/control_client.hpp"
#include "runtime/persistence/store_init.hpp"
#include "tests/support/child_process.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace trader::test {

using namespace std::chrono_literals;

/// A free loopback TCP port (bound and released; good enough for a test).
inline int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  close(fd);
  return ntohs(a.sin_port);
}

/// app.toml's [exchange] table for a simex on loopback: REST at rest_base (its brokerage
/// prefix added), both WebSockets at ws.
inline std::string exchange_table(const std::string& rest_base, const std::string& ws) {
  return "[exchange]\nrest_base_url = \"" + rest_base + "/api/v3/brokerage\"\nws_market_url = \"" + ws
         + "\"\nws_user_url = \"" + ws + "\"\n";
}

/// A profile overlay of the shipped config/ whose paths point into a temp directory.
class traderd_fixture : public ::testing::Test {
protected:
  test::temp_dir dir{"traderd"};
  std::string cfg = dir / "config";

  /// The config overlay, and the first state store as `traderctl state init` makes it
  /// (traderd never creates one).
  void SetUp() override {
    write_app();
    ASSERT_TRUE(persistence::init_store(dir / "state", false).ok());
  }
  /// app.toml overlay: [app] with app_keys and the temp paths, then the other tables.
  void write_app(const std::string& app_keys = "", const std::string& tables = "[metrics]\nenabled = false\n") {
    // Unless a test brings its own exchange, point at a closed loopback port, never at the
    // default 127.0.0.1:8790 where a developer's `make run` simex may be listening.
    std::string exchange = tables.find("[exchange]") != std::string::npos
                             ? ""
                             : "[exchange]\nrest_base_url = \"http://127.0.0.1:1/api/v3/brokerage\"\n"
                               "ws_market_url = \"ws://127.0.0.1:1/ws\"\nws_user_url = \"ws://127.0.0.1:1/ws/user\"\n";
    write_overlay("app.toml", "[app]\n" + app_keys + "state_dir = \"" + (dir / "state") + "\"\nruntime_dir = \""
                                + (dir / "run") + "\"\nlog_dir = \"" + (dir / "log") + "\"\n" + tables + exchange);
  }
  void write_overlay(const std::string& file, const std::string& text) {
    test::write_file(cfg + "/profile.toml", std::string{"[profile]\nname = \"test\"\nbase = \""} + TRADER_SOURCE_DIR
                                              + "/config\"\n");
    test::write_file(cfg + "/" + file, text);
  }
  std::string socket() const { return dir / "run/traderd.sock"; }
  std::unique_ptr<test::child_process> start(std::vector<std::string> extra = {}, std::vector<std::string> env = {}) {
    std::vector<std::string> argv{TRADERD_PATH, "--config", cfg};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<test::child_process>(argv, dir / ("traderd" + std::to_string(++starts_)), env);
  }
  /// Calls cmd and returns the result object (empty object on failure).
  nlohmann::json call(const std::string& cmd, nlohmann::json args = nlohmann::json::object()) {
    control::control_client c{socket()};
    auto r = c.call(cmd, std::move(args), 20s);
    return r.ok() ? r.resp.body.result : nlohmann::json::object();
  }
  /// Calls cmd and returns the whole answer (the error's code and message when it failed).
  control::call_result call_full(const std::string& cmd, nlohmann::json args = nlohmann::json::object()) {
    control::control_client c{socket()};
    return c.call(cmd, std::move(args), 20s);
  }
  /// Reason names in a gate JSON object.
  static std::vector<std::string> reasons(const nlohmann::json& gate) {
    std::vector<std::string> out;
    for (auto& r : gate.value("reasons", nlohmann::json::array()))
      out.push_back(r.value("reason", ""));
    return out;
  }
  /// Every record of the audit log under dir/log (its *.jsonl files), as JSON, in file order.
  std::vector<nlohmann::json> audit_records() const {
    std::vector<nlohmann::json> out;
    std::error_code ec;
    for (auto& f : std::filesystem::recursive_directory_iterator(dir / "log", ec)) {
      if (f.path().extension() != ".jsonl")
        continue;
      std::ifstream in(f.path());
      for (std::string line; std::getline(in, line);) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (j.is_object())
          out.push_back(std::move(j));
      }
    }
    return out;
  }
  /// Every line of kind `kind` in the audit log under dir/log, as JSON, in file order.
  std::vector<nlohmann::json> audit_lines(const std::string& kind) const {
    std::vector<nlohmann::json> out;
    for (auto& j : audit_records())
      if (j.value("kind", "") == kind)
        out.push_back(std::move(j));
    return out;
  }
  int starts_ = 0;
  bool wait_ready(test::child_process& p) {
    return test::eventually(
      [&] {
        if (!p.running())
          return true;
        control::control_client c{socket()};
        return c.call("status", nlohmann::json::object(), 1s).ok();
      },
      30s) && p.running();
  }
};


} // namespace trader::test
