// traderd's risk actor as the operator reaches it (issue 15): `traderctl risk` answers with
// limits, exposure (the ledger from order_lifecycle), pacing and verdicts; `traderctl halt`
// closes the gate with operator_halt, which survives a restart and only `resume
// operator_halt` lifts. The traderctl binary itself: --json output and its exit codes
// (0 ok, 1 refused, 2 usage, 3 no daemon; docs/operations.md).

#include "tests/system/traderd/traderd_fixture.hpp"

#include <csignal>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using namespace trader;

namespace {

class TraderdRiskTest : public test::traderd_fixture {
protected:
  void SetUp() override {
    traderd_fixture::SetUp();
    write_app();
  }
  /// `traderctl --json ARGS...`: the exit code (nullopt: still running after 30 s) and stdout
  /// as JSON (discarded when it is not JSON).
  std::pair<std::optional<int>, nlohmann::json> ctl(std::vector<std::string> args) {
    std::vector<std::string> argv{TRADERCTL_PATH, "--config", cfg, "--socket", socket(), "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    test::child_process c(argv, dir / ("traderctl" + std::to_string(++ctl_runs)));
    auto rc = c.wait(30s);
    return {rc, nlohmann::json::parse(c.out(), nullptr, false)};
  }
  int ctl_runs = 0;
  bool halted() {
    auto v = reasons(call("gate"));
    return std::find(v.begin(), v.end(), "operator_halt") != v.end();
  }
};

} // namespace

TEST_F(TraderdRiskTest, RiskViewAnswersAndHaltSurvivesARestartUntilResumed) {
  {
    auto p = start();
    ASSERT_TRUE(wait_ready(*p)) << p->err();
    // The ledger reaches risk (asked at start, refreshed every 5 s).
    ASSERT_TRUE(test::eventually([&] { return call("risk").value("exposure", nlohmann::json::object()).value("portfolio_known", false); }, 20s))
      << call("risk").dump() << "\n" << p->err();
    auto view = call("risk");
    EXPECT_EQ(view["limits"]["max_open_positions"], 5) << view.dump();
    EXPECT_TRUE(view["verdicts"].is_array());
    EXPECT_TRUE(view["gate"].is_object());
    EXPECT_FALSE(halted());
    auto status = call("status");  // NAV, exposure and PnL in the status too
    EXPECT_TRUE(status.contains("risk")) << status.dump();
    EXPECT_TRUE(status["risk"]["exposure"].value("portfolio_known", false)) << status.dump();

    auto g = call("halt", {{"reason", "maintenance window"}});
    auto v = reasons(g);
    ASSERT_NE(std::find(v.begin(), v.end(), "operator_halt"), v.end()) << g.dump();
    EXPECT_NE(g.dump().find("maintenance window"), std::string::npos);
    p->signal(SIGTERM);
    ASSERT_EQ(p->wait(30s), 0) << p->err();
  }
  auto p = start();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_TRUE(halted()) << call("gate").dump();  // sticky: restored from the store
  // The same through the traderctl binary: risk --json, a refused and a malformed resume.
  auto [risk_rc, view] = ctl({"risk"});
  EXPECT_EQ(risk_rc, 0);
  EXPECT_TRUE(view.is_object() && view.contains("limits") && view.contains("verdicts")) << view.dump();
  EXPECT_EQ(ctl({"resume", "no_such_reason"}).first, 1);
  EXPECT_EQ(ctl({"resume"}).first, 2);  // REASON is required
  EXPECT_TRUE(halted()) << call("gate").dump();
  auto after = call("resume", {{"reason", "operator_halt"}});
  auto v = reasons(after);
  EXPECT_EQ(std::find(v.begin(), v.end(), "operator_halt"), v.end()) << after.dump();
  EXPECT_FALSE(halted());
  auto [halt_rc, gate] = ctl({"halt", "--reason", "by traderctl"});
  EXPECT_EQ(halt_rc, 0);
  EXPECT_NE(gate.dump().find("by traderctl"), std::string::npos) << gate.dump();
  EXPECT_TRUE(halted());
  auto [resume_rc, reopened] = ctl({"resume", "operator_halt"});
  EXPECT_EQ(resume_rc, 0);
  EXPECT_TRUE(reopened.is_object() && reopened.contains("reasons")) << reopened.dump();
  EXPECT_FALSE(halted());
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
  EXPECT_EQ(ctl({"risk"}).first, 3);  // no daemon: unreachable
}

TEST_F(TraderdRiskTest, HelpListsTheRiskCommands) {
  test::child_process c({TRADERCTL_PATH, "--help"}, dir / "traderctl_help");
  ASSERT_EQ(c.wait(30s), 0);
  const auto out = c.out();
  for (const char* cmd : {"kill", "resume", "halt", "positions", "pnl", "risk"})
    EXPECT_NE(out.find(std::string{"\n  "} + cmd + " "), std::string::npos) << cmd << " missing from\n" << out;
}
