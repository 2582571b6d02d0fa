// traderd under a service manager and a scraper: sd_notify READY/STATUS/WATCHDOG/STOPPING
// on a fake NOTIFY_SOCKET, and a /metrics scrape that promtool accepts.

#include "runtime/metrics/loopback_http.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <csignal>
#include <cstdlib>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

using namespace std::chrono_literals;
using namespace trader;

namespace {

using TraderdOpsTest = test::traderd_fixture;

/// A datagram socket standing in for systemd's NOTIFY_SOCKET.
class fake_notify_socket {
public:
  explicit fake_notify_socket(std::string path) : path_(std::move(path)) {
    fd_ = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path_.c_str());
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  ~fake_notify_socket() { close(fd_); }
  /// Everything received so far, one datagram per entry.
  const std::vector<std::string>& drain() {
    char buf[4096];
    for (ssize_t n; (n = recv(fd_, buf, sizeof buf, 0)) > 0;)
      got_.emplace_back(buf, static_cast<std::size_t>(n));
    return got_;
  }
  bool saw(const std::string& prefix) {
    for (auto& m : drain())
      if (m.rfind(prefix, 0) == 0 || m.find("\n" + prefix) != std::string::npos)
        return true;
    return false;
  }

private:
  std::string path_;
  int fd_ = -1;
  std::vector<std::string> got_;
};

TEST_F(TraderdOpsTest, NotifiesSystemdReadyStatusWatchdogAndStopping) {
  fake_notify_socket notify{dir / "notify.sock"};
  auto p = start({}, {"NOTIFY_SOCKET=" + (dir / "notify.sock"), "WATCHDOG_USEC=1000000"});
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_TRUE(test::eventually([&] { return notify.saw("READY=1"); }, 10s));
  EXPECT_TRUE(notify.saw("STATUS=DRY_RUN gate=CLOSED(startup)"));
  EXPECT_TRUE(test::eventually([&] { return notify.saw("WATCHDOG=1"); }, 10s));
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
  EXPECT_TRUE(notify.saw("STOPPING=1"));
}

// Wedge detection: an actor stuck in a handler (here the test-hook probe, blocked for 6 s)
// stops the WATCHDOG=1 pings once it has left a liveness probe unanswered longer than
// runtime.wedge_limit_s; they resume when it answers again. `traderctl actors` shows it.
TEST_F(TraderdOpsTest, WatchdogPingsStopWhileAnActorIsWedged) {
  write_app("", "[metrics]\nenabled = false\n[runtime]\nwedge_limit_s = 2\n");
  fake_notify_socket notify{dir / "notify.sock"};
  auto p = start({}, {"NOTIFY_SOCKET=" + (dir / "notify.sock"), "WATCHDOG_USEC=400000", "TRADER_TEST_HOOKS=1"});
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  control::control_client c{socket()};
  // Every actor answers its liveness probe (a new actor without probe_handler fails here).
  std::string silent;
  ASSERT_TRUE(test::eventually(
    [&] {
      auto a = c.call("actors");
      if (!a.ok())
        return false;
      silent.clear();
      for (auto& row : a.resp.body.result["actors"])
        if (row.value("mailbox_depth", -1) < 0)
          silent += row.value("name", "") + " ";
      return silent.empty();
    },
    10s))
    << "actors without a liveness probe answer: " << silent;
  auto pings = [&] {
    auto& all = notify.drain();
    return std::count_if(all.begin(), all.end(), [](auto& m) { return m.find("WATCHDOG=1") != std::string::npos; });
  };
  ASSERT_TRUE(test::eventually([&] { return pings() >= 2; }, 10s));
  ASSERT_TRUE(c.call("debug.wedge", {{"ms", 6000}}).ok());
  // (Every poll drains the socket: a full datagram queue would block traderd's sd_notify.)
  ASSERT_TRUE(test::eventually(
    [&] {
      pings();
      return p->err().find("wedged") != std::string::npos;
    },
    10s))
    << p->err();
  auto a = c.call("actors");
  ASSERT_TRUE(a.ok());
  bool shown = false;
  for (auto& row : a.resp.body.result["actors"])
    if (row.value("name", "") == "probe")
      shown = row.value("unanswered_ms", 0) > 2000;
  EXPECT_TRUE(shown) << a.resp.body.result.dump();
  // While wedged: no ping for a whole second (the interval is 0.4 s, pings every 0.2 s).
  auto before = pings();
  for (int i = 0; i < 10; ++i) {
    std::this_thread::sleep_for(100ms);
    pings();
  }
  EXPECT_EQ(pings(), before) << "watchdog pings continued while an actor was wedged";
  // The probe answers again after 6 s; pings resume.
  EXPECT_TRUE(test::eventually(
    [&] {
      pings();
      return p->err().find("no actor is wedged any more") != std::string::npos;
    },
    15s));
  auto after = pings();
  EXPECT_TRUE(test::eventually([&] { return pings() > after; }, 5s));
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

// Review rows #3 and #4: safe halt must hold. A small restart intensity (1 in 120 s) and the
// debug.crash test hook make `risk` die until `trading` gives up twice and the root escalates.
// Then the halt must not depend on the trading subtree it lost: safe_halt is persisted straight
// into the store, the report says what was cancelled and alerted; the process stays up, its
// control socket answers, and the watchdog keeps pinging (the halt is deliberate, so systemd
// must not restart it into a loop). A restart comes back with safe_halt in the gate (risk
// rebuilds it from the store) until an operator resumes it.
TEST_F(TraderdOpsTest, SafeHaltIsDurableKeepsTheDaemonUpAndHoldsAcrossARestart) {
  write_app("", "[metrics]\nenabled = false\n[runtime]\nsupervisor_max_restarts = 1\nsupervisor_period_s = 120\n");
  fake_notify_socket notify{dir / "notify.sock"};
  auto p = start({}, {"NOTIFY_SOCKET=" + (dir / "notify.sock"), "WATCHDOG_USEC=400000", "TRADER_TEST_HOOKS=1"});
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  auto pings = [&] {
    auto& all = notify.drain();  // (drains: a full datagram queue would block traderd's sd_notify)
    return std::count_if(all.begin(), all.end(), [](auto& m) { return m.find("WATCHDOG=1") != std::string::npos; });
  };
  auto safe_halt = [&] { return call("status").value("safe_halt", nlohmann::json::object()); };
  auto risk_started = [&] {
    for (auto& row : call("actors").value("actors", nlohmann::json::array()))
      if (row.value("name", "") == "risk" && row.value("state", "") == "running")
        return row.value("started_at", "");
    return std::string{};
  };
  ASSERT_TRUE(test::eventually([&] { return pings() >= 2; }, 10s));
  EXPECT_EQ(safe_halt(), (nlohmann::json{{"halted", false}}));

  // Crash risk (a fresh instance each time) until the root gives up.
  int crashes = 0;
  std::string last_start;
  while (crashes < 10 && !safe_halt().value("halted", false)) {
    std::string started;
    ASSERT_TRUE(test::eventually(
      [&] {
        pings();
        started = risk_started();
        return (!started.empty() && started != last_start) || safe_halt().value("halted", false);
      },
      15s))
      << "risk did not run again after crash " << crashes << "\n" << p->err();
    if (started.empty() || started == last_start)
      break;  // halted
    last_start = started;
    auto crashed = call("debug.crash", {{"actor", "risk"}});
    ASSERT_EQ(crashed.value("crashed", ""), "risk") << crashed.dump() << p->err();
    ++crashes;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(test::eventually([&] { return safe_halt().value("halted", false); }, 15s)) << p->err();
  EXPECT_GE(crashes, 2);
  EXPECT_LE(crashes, 6) << "the root should give up after 4 crashes (1 restart allowed at each level)";

  // The report: persisted directly in the store, nothing on the exchange in DRY_RUN, alerted.
  nlohmann::json report;
  ASSERT_TRUE(test::eventually(
    [&] {
      pings();
      report = safe_halt().value("report", nlohmann::json::object());
      return report.value("complete", false);
    },
    30s))
    << report.dump() << p->err();
  std::cout << "safe halt after " << crashes << " crash(es) of risk; report: " << report.dump() << "\n";
  EXPECT_EQ(report.value("supervisor", ""), "root");
  EXPECT_NE(report.value("why", "").find("restart intensity exceeded"), std::string::npos) << report.dump();
  EXPECT_FALSE(report.value("started_at", "").empty());
  EXPECT_TRUE(report["persisted"].value("ok", false)) << report.dump();
  EXPECT_EQ(report["cancel"].value("path", ""), "none") << report.dump();
  EXPECT_TRUE(report["cancel"].value("ok", false)) << report.dump();
  EXPECT_NE(report["cancel"].value("detail", "").find("DRY_RUN"), std::string::npos) << report.dump();
  EXPECT_GE(report["alert"].value("delivered", 0), 1) << report.dump();
  EXPECT_TRUE(report["errors"].empty()) << report.dump();
  auto status = call("status");
  EXPECT_FALSE(status.value("healthy", true)) << "a halted daemon is not healthy in status";
  EXPECT_TRUE(p->running());
  EXPECT_NE(p->err().find("SAFE HALT"), std::string::npos);
  EXPECT_NE(p->err().find("ALERT [CRITICAL] safe_halt"), std::string::npos) << p->err();

  // traderctl status shows the SAFE HALT block with the recovery steps.
  {
    test::child_process ctl({TRADERCTL_PATH, "--config", cfg, "--socket", socket(), "status"}, dir / "traderctl_status");
    EXPECT_EQ(ctl.wait(30s), 0);
    auto out = ctl.out();
    EXPECT_NE(out.find("SAFE HALT"), std::string::npos) << out;
    EXPECT_NE(out.find("systemctl restart traderd"), std::string::npos) << out;
    EXPECT_NE(out.find("traderctl resume safe_halt"), std::string::npos) << out;
  }

  // Watchdog: pings go on while halted (0.4 s interval: a ping every 0.2 s).
  auto before = pings();
  for (int i = 0; i < 15; ++i) {
    std::this_thread::sleep_for(100ms);
    pings();
  }
  std::cout << "watchdog pings in 1.5 s of safe halt: " << pings() - before << "\n";
  EXPECT_GE(pings() - before, 3) << "watchdog pings stopped during the safe halt: systemd would restart traderd";
  EXPECT_TRUE(notify.saw("STATUS=SAFE HALT")) << "the systemd status line says SAFE HALT";
  EXPECT_TRUE(p->running());

  // A restart (here SIGTERM and start; under systemd any restart) comes back halted.
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
  auto q = start();
  ASSERT_TRUE(wait_ready(*q)) << q->err();
  nlohmann::json gate;
  ASSERT_TRUE(test::eventually(
    [&] {
      gate = call("gate");
      auto r = reasons(gate);
      return std::find(r.begin(), r.end(), "safe_halt") != r.end();
    },
    10s))
    << gate.dump() << q->err();
  EXPECT_FALSE(gate.value("open", true));
  EXPECT_EQ(call("status")["safe_halt"], (nlohmann::json{{"halted", false}}));  // this process is not halted

  // The operator's resume clears it, durably.
  control::control_client c{socket()};
  auto resumed = c.call("resume", {{"reason", "safe_halt"}}, 20s);
  ASSERT_TRUE(resumed.ok()) << resumed.resp.body.err.message;
  auto r = reasons(resumed.resp.body.result);
  EXPECT_EQ(std::find(r.begin(), r.end(), "safe_halt"), r.end()) << resumed.resp.body.result.dump();
  q->signal(SIGTERM);
  EXPECT_EQ(q->wait(30s), 0) << q->err();
  auto again = start();
  ASSERT_TRUE(wait_ready(*again)) << again->err();
  r = reasons(call("gate"));
  EXPECT_EQ(std::find(r.begin(), r.end(), "safe_halt"), r.end()) << call("gate").dump();
  again->signal(SIGTERM);
  EXPECT_EQ(again->wait(30s), 0);
}

// The root supervisor itself dying (an exception in root, a kill) takes the whole tree with
// it. traderd must not go on as if it ran (the soak found it did, with no actor left): the
// root's death is the safe halt too — persisted, alerted, the daemon up for the operator.
TEST_F(TraderdOpsTest, ARootSupervisorThatDiesPutsTheDaemonIntoASafeHalt) {
  write_app("", "[metrics]\nenabled = false\n");
  auto p = start({}, {"TRADER_TEST_HOOKS=1"});
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  auto safe_halt = [&] { return call("status").value("safe_halt", nlohmann::json::object()); };
  EXPECT_EQ(safe_halt(), (nlohmann::json{{"halted", false}}));
  auto crashed = call("debug.crash", {{"actor", "root"}});
  ASSERT_EQ(crashed.value("crashed", ""), "root") << crashed.dump() << p->err();
  nlohmann::json report;
  ASSERT_TRUE(test::eventually(
    [&] {
      report = safe_halt().value("report", nlohmann::json::object());
      return report.value("complete", false);
    },
    30s))
    << report.dump() << p->err();
  EXPECT_EQ(report.value("supervisor", ""), "root");
  EXPECT_NE(report.value("why", "").find("the root supervisor died"), std::string::npos) << report.dump();
  EXPECT_TRUE(report["persisted"].value("ok", false)) << report.dump();
  EXPECT_GE(report["alert"].value("delivered", 0), 1) << report.dump();
  EXPECT_TRUE(p->running());
  EXPECT_NE(p->err().find("ALERT [CRITICAL] safe_halt"), std::string::npos) << p->err();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
  // A restart comes back halted until an operator resumes it.
  auto q = start();
  ASSERT_TRUE(wait_ready(*q)) << q->err();
  ASSERT_TRUE(test::eventually(
    [&] {
      auto r = reasons(call("gate"));
      return std::find(r.begin(), r.end(), "safe_halt") != r.end();
    },
    10s))
    << call("gate").dump() << q->err();
  q->signal(SIGTERM);
  EXPECT_EQ(q->wait(30s), 0);
}

TEST_F(TraderdOpsTest, ServesMetricsThatPromtoolAccepts) {
  auto port = test::free_port();
  write_app("", "[metrics]\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\n");
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  metrics::http_result r;
  ASSERT_TRUE(test::eventually(
    [&] {
      r = metrics::http_get("127.0.0.1", static_cast<std::uint16_t>(port), "/metrics");
      return r.ok && r.body.find("trader_actor_up{actor=\"risk\"} 1") != std::string::npos;
    },
    10s))
    << r.body;
  for (auto series : {"trader_build_info{", "trader_config_info{", "trader_risk_gate_open 0",
                      "trader_risk_gate_closed_reasons{reason=\"startup\"} 1", "trader_state_store_healthy 1"})
    EXPECT_NE(r.body.find(series), std::string::npos) << series;
  if (std::system("command -v promtool > /dev/null") == 0) {
    std::ofstream{dir / "scrape.txt"} << r.body;
    EXPECT_EQ(std::system(("promtool check metrics < " + (dir / "scrape.txt") + " > /dev/null 2>&1").c_str()), 0);
  }
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

} // namespace

namespace {

using TraderdAlertTest = test::traderd_fixture;

TEST_F(TraderdAlertTest, AlertTestReachesTheSinksAndAckStopsAnActiveAlert) {
  test::write_file(dir / "state/data.mdb", "garbage");  // raises a CRITICAL state_unavailable
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(test::eventually([&] { return p->err().find("critical ALERT") != std::string::npos; }, 10s));
  control::control_client c{socket()};
  auto t = c.call("alert.test");
  ASSERT_TRUE(t.ok()) << t.resp.body.err.message;
  EXPECT_GE(t.resp.body.result["notifications"].get<int>(), 1);
  EXPECT_TRUE(test::eventually([&] { return p->err().find("ALERT TEST") != std::string::npos; }, 10s));
  EXPECT_TRUE(c.call("alert.ack", {{"fingerprint", "state_unavailable"}}).ok());
  EXPECT_TRUE(test::eventually([&] { return p->err().find("ALERT ACKNOWLEDGED") != std::string::npos; }, 10s));
  EXPECT_FALSE(c.call("alert.ack", {{"fingerprint", "no_such_alert"}}).ok());
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0);
}

} // namespace
