// traderd's risk actor as the operator reaches it (issue 15): `traderctl risk` answers with
// limits, exposure (the ledger from order_lifecycle), pacing and verdicts; `traderctl halt`
// closes the gate with operator_halt, which survives a restart and only `resume
// operator_halt` lifts.

#include "tests/system/traderd/traderd_fixture.hpp"

#include <csignal>

using namespace std::chrono_literals;
using namespace trader;

namespace {

class TraderdRiskTest : public test::traderd_fixture {
protected:
  void SetUp() override {
    traderd_fixture::SetUp();
    write_app();
  }
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
  auto after = call("resume", {{"reason", "operator_halt"}});
  auto v = reasons(after);
  EXPECT_EQ(std::find(v.begin(), v.end(), "operator_halt"), v.end()) << after.dump();
  EXPECT_FALSE(halted());
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(30s), 0) << p->err();
}
