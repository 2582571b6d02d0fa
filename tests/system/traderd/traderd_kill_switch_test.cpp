// Review row #5: control.kill_switch_file was documented ("creating this file engages the
// kill switch") but nothing read it. traderd with the file in a temp directory: creating it
// closes the gate with kill_switch within seconds; removing it does not release it; it
// survives a restart; `resume kill_switch` is refused while the file exists.
// And `traderctl kill` during a safe halt (risk gone with its subtree): written straight into
// the state store, answered with a warning, back after a restart.

#include "tests/system/traderd/traderd_fixture.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace std::chrono_literals;
using namespace trader;

namespace {

class TraderdKillSwitchTest : public test::traderd_fixture {
protected:
  std::string ks_file = dir / "ks/KILL_SWITCH";

  void SetUp() override {
    traderd_fixture::SetUp();
    write_app("", "[metrics]\nenabled = false\n[control]\nkill_switch_file = \"" + ks_file + "\"\n");
    std::filesystem::create_directories(dir / "ks");
  }
  bool engaged() { return has_reason(call("gate"), "kill_switch"); }
  static bool has_reason(const nlohmann::json& gate, const std::string& r) {
    auto v = reasons(gate);
    return std::find(v.begin(), v.end(), r) != v.end();
  }
  std::string audit_log() {
    std::string all;
    if (std::filesystem::exists(dir / "log/audit"))
      for (auto& f : std::filesystem::directory_iterator(dir / "log/audit")) {
        std::ifstream in{f.path()};
        std::stringstream ss;
        ss << in.rdbuf();
        all += ss.str();
      }
    return all;
  }
};

// Review row #5.
TEST_F(TraderdKillSwitchTest, CreatingTheFileEngagesTheKillSwitchWhichSurvivesRemovalAndRestart) {
  {
    auto p = start();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    ASSERT_FALSE(engaged()) << call("gate").dump();

    test::write_file(ks_file, "maintenance\n");
    ASSERT_TRUE(test::eventually([&] { return engaged(); }, 5s)) << call("gate").dump() << "\n" << p->err();
    auto gate = call("gate");
    EXPECT_EQ(gate["open"], false);
    EXPECT_NE(gate.dump().find(ks_file), std::string::npos) << gate.dump();  // the detail names the file
    EXPECT_TRUE(test::eventually([&] { return p->err().find("KILL SWITCH engaged") != std::string::npos; }, 5s))
      << p->err();
    EXPECT_TRUE(test::eventually([&] { return p->err().find("persisted (durable") != std::string::npos; }, 10s))
      << p->err();

    // While the file exists, the operator cannot resume it.
    control::control_client c{socket()};
    auto refused = c.call("resume", {{"reason", "kill_switch"}}, 20s);
    EXPECT_FALSE(refused.ok()) << refused.resp.body.result.dump();
    EXPECT_TRUE(engaged());

    // Removing the file releases nothing.
    std::filesystem::remove(ks_file);
    std::this_thread::sleep_for(2500ms);  // several polls and backstop stats
    EXPECT_TRUE(engaged()) << call("gate").dump();

    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0) << p->err();
  }
  EXPECT_NE(audit_log().find("\"kind\":\"kill_switch\""), std::string::npos);

  // Persisted: a restart (file gone) keeps it, until an operator resumes.
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_TRUE(engaged()) << call("gate").dump();
  std::this_thread::sleep_for(1500ms);  // the watcher has reported "no file" by now
  EXPECT_TRUE(engaged()) << call("gate").dump();
  auto after = call("resume", {{"reason", "kill_switch"}});
  EXPECT_FALSE(has_reason(after, "kill_switch")) << after.dump();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
}

// Review row #5: a file already there when traderd starts engages at once, and a directory
// that does not exist yet is caught by the stat backstop once it does.
TEST_F(TraderdKillSwitchTest, AFilePresentAtStartOrInADirectoryCreatedLaterEngages) {
  test::write_file(ks_file, "");
  {
    auto p = start();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    EXPECT_TRUE(test::eventually([&] { return engaged(); }, 5s)) << call("gate").dump();
    // At start risk may run before state: the watcher retries until risk says it is durable.
    EXPECT_TRUE(test::eventually([&] { return p->err().find("persisted (durable") != std::string::npos; }, 10s))
      << p->err();
    // Seen before alerting and audit were registered (the subtrees start concurrently): the
    // CRITICAL alert and the audit entry still went out.
    EXPECT_TRUE(test::eventually([&] { return p->err().find("ALERT [CRITICAL] kill_switch") != std::string::npos; }, 5s))
      << p->err();
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0) << p->err();
    EXPECT_NE(audit_log().find("present at start"), std::string::npos) << audit_log();
  }
  std::filesystem::remove_all(dir / "ks");  // neither the file nor its directory now
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(engaged()) << call("gate").dump();  // persisted from the first run
  std::this_thread::sleep_for(1500ms);            // the watcher has reported "no file" by now
  ASSERT_FALSE(has_reason(call("resume", {{"reason", "kill_switch"}}), "kill_switch"));
  ASSERT_FALSE(engaged()) << call("gate").dump();
  test::write_file(ks_file, "");  // creates ks/ and the file
  EXPECT_TRUE(test::eventually([&] { return engaged(); }, 5s)) << call("gate").dump() << "\n" << p->err();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
}

// SIGUSR1 (the kill switch) and SIGTERM in the first milliseconds, as soon as traderd has
// written its first log line: they used to take their default action until traderd blocked
// them just before the actor system started, so the kill switch ended the process (and
// systemd restarted it without the kill switch). Now they wait for the daemon to be up.
TEST_F(TraderdKillSwitchTest, ASignalDuringStartUpWaitsForTheDaemonInsteadOfEndingIt) {
  auto first_line = [](test::child_process& p) {
    for (int i = 0; i < 30'000 && p.err().empty(); ++i)
      std::this_thread::sleep_for(1ms);
    return !p.err().empty();
  };
  {
    auto p = start();
    ASSERT_TRUE(first_line(*p));
    p->signal(SIGUSR1);
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    EXPECT_TRUE(test::eventually([&] { return engaged(); }, 10s)) << call("gate").dump() << "\n" << p->err();
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0) << p->err();
  }
  auto p = start();
  ASSERT_TRUE(first_line(*p));
  p->signal(SIGTERM);
  ASSERT_EQ(p->wait(30s), 0) << p->err();  // an ordered stop once up, not death by SIGTERM
  EXPECT_NE(p->err().find("traderd stopped"), std::string::npos) << p->err();
}

// A safe halt takes risk down with the trading subtree; `traderctl kill` then used to fail
// ("NOT confirmed durable, risk: ...") and engaged nothing. Now it writes kill_switch straight
// into the state store and says so; the next process starts with it (and safe_halt).
TEST_F(TraderdKillSwitchTest, KillDuringASafeHaltGoesStraightIntoTheStoreAndHoldsAcrossARestart) {
  write_app("", "[metrics]\nenabled = false\n[runtime]\nsupervisor_max_restarts = 1\nsupervisor_period_s = 120\n");
  {
    auto p = start({}, {"TRADER_TEST_HOOKS=1"});
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    auto halted = [&] { return call("status").value("safe_halt", nlohmann::json::object()).value("halted", false); };
    auto risk_started = [&] {
      for (auto& row : call("actors").value("actors", nlohmann::json::array()))
        if (row.value("name", "") == "risk" && row.value("state", "") == "running")
          return row.value("started_at", "");
      return std::string{};
    };
    // Crash risk (a fresh instance each time) until the root gives up.
    std::string last_start;
    for (int crashes = 0; crashes < 10 && !halted(); ++crashes) {
      std::string started;
      ASSERT_TRUE(test::eventually(
        [&] {
          started = risk_started();
          return (!started.empty() && started != last_start) || halted();
        },
        15s))
        << "risk did not run again after crash " << crashes << "\n" << p->err();
      if (started.empty() || started == last_start)
        break;
      last_start = started;
      ASSERT_EQ(call("debug.crash", {{"actor", "risk"}}).value("crashed", ""), "risk") << p->err();
      std::this_thread::sleep_for(100ms);
    }
    ASSERT_TRUE(test::eventually(halted, 15s)) << p->err();
    ASSERT_TRUE(test::eventually([&] { return risk_started().empty(); }, 10s)) << "risk still runs in the safe halt";
    ASSERT_TRUE(test::eventually(
      [&] {
        auto h = call("status").value("safe_halt", nlohmann::json::object());
        return h.value("report", nlohmann::json::object()).value("complete", false);
      },
      30s))
      << p->err();

    test::child_process ctl({TRADERCTL_PATH, "--config", cfg, "--socket", socket(), "kill", "--reason", "halted"},
                            dir / "traderctl_kill");
    EXPECT_EQ(ctl.wait(30s), 0) << ctl.out() << ctl.err();
    EXPECT_NE(ctl.out().find("risk is not running"), std::string::npos) << ctl.out();
    EXPECT_NE(ctl.out().find("kill_switch"), std::string::npos) << ctl.out();
    EXPECT_NE(ctl.out().find("safe_halt"), std::string::npos) << ctl.out();  // the persisted gate, read back
    auto again = call_full("kill", {{"reason", "halted, twice"}});
    ASSERT_TRUE(again.ok()) << again.resp.body.err.message;
    EXPECT_TRUE(has_reason(again.resp.body.result, "kill_switch")) << again.resp.body.result.dump();
    EXPECT_TRUE(p->running());
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0) << p->err();
  }
  // The next process comes back with both, until an operator resumes them.
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  nlohmann::json gate;
  ASSERT_TRUE(test::eventually(
    [&] {
      gate = call("gate");
      return has_reason(gate, "kill_switch") && has_reason(gate, "safe_halt");
    },
    10s))
    << gate.dump() << p->err();
  EXPECT_NE(gate.dump().find("halted, twice"), std::string::npos) << gate.dump();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
}

} // namespace
