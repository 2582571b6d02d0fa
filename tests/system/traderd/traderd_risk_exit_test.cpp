// Protective exits against simex (issue 15 "Done when"): traderd in LIVE holds BTC; simex's
// BTC-USD mid follows a scripted path (--candles-csv): flat, then −1.5 % (a daily stop
// closes the gate), then −6 % (the position's 3 % stop is crossed). The stop-loss exit goes
// out on the crossing quote — with the gate closed by daily_stop, and long before the next
// decision cycle (loop.interval_s = 3600) — and the position is sold on simex.
#include "tests/system/traderd/risk_kill_fixture.hpp"

#include <fstream>
#include <sstream>

using namespace risk_kill;

namespace {

class TraderdRiskExitTest : public kill_fixture {
protected:
  void SetUp() override {
    // The path: 60 s flat at 65 000, then 64 000 over a minute, then 61 000 over a minute.
    std::filesystem::create_directories(dir / "csv");
    std::ofstream csv{dir / "csv/btc.csv"};
    csv << "timestamp,open,high,low,close,volume\n";
    const std::int64_t t = 1'800'000'000;
    csv << t << ",65000,65000,65000,65000,10\n";
    csv << t + 60 << ",65000,65000,64000,64000,10\n";
    csv << t + 120 << ",64000,64000,61000,61000,10\n";
    csv << t + 180 << ",61000,61000,61000,61000,10\n";
    csv << t + 240 << ",61000,61000,61000,61000,10\n";
    csv.close();
    simex_args = {"--candles-csv", dir / "csv/btc.csv", "--candles-product", "BTC-USD"};
    // Before the fixture's SetUp: it records 25 h of PAPER for the config's trading hash.
    write_overlay("policy.toml", "[risk]\nstop_loss_pct = 3.0\ntake_profit_pct = 50.0\ndaily_stop_pct = 0.005\n"
                                 "[loop]\ninterval_s = 3600.0\ncycle_budget_s = 15.0\n");
    kill_fixture::SetUp();
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
  double btc_held() {
    auto pos = call("positions");
    for (auto& p : pos.value("positions", json::array()))
      if (p.value("product", "") == "BTC-USD")
        return std::stod(p.value("qty", std::string{"0"}));
    return 0;
  }
};

} // namespace

TEST_F(TraderdRiskExitTest, ADailyStopClosesTheGateWhileTheStopLossExitGoesOutOnTheCrossingQuote) {
  auto p = start_live();
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  ASSERT_TRUE(open_gate()) << call("gate").dump();
  // A position of our own (the account's opening BTC may or may not be in the ledger).
  auto buy = call_full("debug.intent", json{{"product", "BTC-USD"}, {"side", "buy"}, {"type", "market"}, {"size", "0.01"}});
  ASSERT_TRUE(buy.ok() && buy.resp.body.ok) << buy.message << buy.resp.body.err.message;
  ASSERT_TRUE(test::eventually([&] { return btc_held() >= 0.01; }, 30s)) << call("positions").dump();
  const double held = btc_held();

  // −1.5 %: the daily stop (0.005 % of NAV) closes the gate; the exit is not crossed yet.
  ASSERT_TRUE(test::eventually(
    [&] {
      auto r = reasons(call("gate"));
      return std::find(r.begin(), r.end(), "daily_stop") != r.end();
    },
    150s))
    << call("gate").dump();
  EXPECT_EQ(audit_log().find("\"kind\":\"stop_loss\""), std::string::npos) << "the stop fired before the daily stop";

  // −6 %: the stop (entry − 3 %) is crossed; the exit goes out through the closed gate and
  // sells the whole position on simex.
  ASSERT_TRUE(test::eventually([&] { return audit_log().find("\"kind\":\"stop_loss\"") != std::string::npos; }, 150s))
    << p->err();
  auto log = audit_log();
  EXPECT_NE(log.find("\"sent\":true"), std::string::npos) << log.substr(0, 4000);
  EXPECT_TRUE(test::eventually([&] { return btc_held() < held; }, 30s)) << call("positions").dump();
  auto r = reasons(call("gate"));
  EXPECT_NE(std::find(r.begin(), r.end(), "daily_stop"), r.end());  // still closed to new risk
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);
}
