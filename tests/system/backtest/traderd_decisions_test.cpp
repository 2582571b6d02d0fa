// traderd against a real simex process (issue 19): its audit log carries the decision hash —
// every risk verdict stamped with decision_seq / decision_hash — and `backtest decisions`
// verifies the session's stream (exit 0), catches an altered verdict (exit 1), and finds a
// session equal to itself; the drift actor reads its baseline (a backtest report) at start and
// `traderctl drift` shows it; --record-market records the feed's trades, which backtest runs on.

#include "tests/system/backtest/run_backtest.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>

using namespace std::chrono_literals;
using namespace trader;
using nlohmann::json;

namespace {

using backtest_test::backtest;
using backtest_test::ran;

class TraderdDecisionsTest : public test::traderd_fixture {
protected:
  void SetUp() override {
    traderd_fixture::SetUp();
    simex = std::make_unique<trader::testing::simex_process>(std::vector<std::string>{"--log-file", "-"});
    write_app("", "[metrics]\nenabled = false\n" + test::exchange_table(simex->rest(), simex->ws()));
    // Fast cycles on 1-minute bars and a momentum trigger low enough that simex's backfilled
    // history fires it at once: risk judges proposals every cycle.
    write_overlay("policy.toml", "[loop]\ninterval_s = 2.0\ncycle_budget_s = 1.5\n");
    write_overlay("signals.toml", "[triggers]\ngranularity = \"ONE_MINUTE\"\n[triggers.momentum]\nenabled = true\n"
                                  "lookback_candles = 2\nthreshold_pct = 0.001\n");
    write_overlay("strategies.toml", "[strategies.momentum]\nenabled = true\nmin_confidence = 0.0\n");
  }
  /// Drift on, with the paper-demo baseline (momentum's round trips) as the reference.
  void drift_on(const std::string& baseline) {
    write_overlay("strategies.toml", "[strategies.momentum]\nenabled = true\nmin_confidence = 0.0\n[drift]\n"
                                     "enabled = true\nmin_trades = 3\npoll_s = 1.0\nbaseline_file = \"" +
                                       baseline + "\"\n");
  }

  std::vector<json> verdicts() const { return audit_lines("risk_verdict"); }
  std::string audit_dir() const { return dir / "log/audit"; }

  std::unique_ptr<trader::testing::simex_process> simex;
};

} // namespace

TEST_F(TraderdDecisionsTest, ASessionsAuditLogCarriesAVerifiableDecisionHash) {
  drift_on(std::string{TRADER_SOURCE_DIR} + "/tests/system/backtest/baselines/paper_demo_synthetic.json");
  const std::string recording = dir / "recording";
  auto p = start({"--record-market", recording});
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  // traderctl drift: the baseline read at start, momentum waiting for live round trips.
  json drift;
  EXPECT_TRUE(test::eventually(
    [&] {
      drift = call("drift");
      return !drift.value("strategies", json::array()).empty();
    },
    30s))
    << drift.dump();
  EXPECT_TRUE(drift.value("enabled", false)) << drift.dump();
  EXPECT_EQ(drift.value("baseline_error", "?"), "") << drift.dump();
  bool momentum = false;
  for (auto& s : drift.value("strategies", json::array()))
    if (s.value("strategy", "") == "momentum") {
      momentum = true;
      EXPECT_GE(s["baseline"].value("trades", 0), 3) << s.dump();
      EXPECT_EQ(s.value("severity", ""), "none") << s.dump();
      EXPECT_EQ(s["reasons"][0].get<std::string>().rfind("warming_up", 0), 0u) << s.dump();
    }
  EXPECT_TRUE(momentum) << drift.dump();
  EXPECT_TRUE(test::eventually([&] { return verdicts().size() >= 3; }, 120s)) << p->err();
  p->signal(SIGTERM);
  EXPECT_EQ(p->wait(60s), 0);

  auto v = verdicts();
  ASSERT_GE(v.size(), 3u);
  for (std::size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(v[i]["payload"].value("decision_seq", 0u), i + 1) << v[i].dump();
    EXPECT_EQ(v[i]["payload"].value("decision_hash", "").size(), 64u);
  }
  ASSERT_TRUE(std::filesystem::is_directory(audit_dir()));
  auto ok = backtest("decisions " + audit_dir() + " --against " + audit_dir());
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find(v.back()["payload"].value("decision_hash", "?")), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("EQUAL"), std::string::npos) << ok.out;

  // Alter the first verdict (as someone editing the log would): the stamped hash no longer fits.
  std::filesystem::path copy = dir / "altered";
  std::filesystem::create_directories(copy);
  for (auto& f : std::filesystem::directory_iterator(audit_dir())) {
    std::ifstream in(f.path());
    std::ofstream out(copy / f.path().filename());
    bool done = false;
    for (std::string line; std::getline(in, line);) {
      auto j = json::parse(line, nullptr, false);
      if (!done && j.is_object() && j.value("kind", "") == "risk_verdict") {
        j["payload"]["target"] = "999999";
        line = j.dump();
        done = true;
      }
      out << line << "\n";
    }
  }
  auto bad = backtest("decisions " + copy.string());
  EXPECT_EQ(bad.code, 1) << bad.out;
  EXPECT_NE(bad.out.find("NOT VERIFIED"), std::string::npos) << bad.out;

  // --record-market: the session's public trades, which backtest runs over as tick data.
  std::vector<std::string> files;
  for (auto& f : std::filesystem::directory_iterator(recording))
    files.push_back(f.path().string());
  ASSERT_FALSE(files.empty());
  std::sort(files.begin(), files.end());
  const std::string report = dir / "recorded.json";
  auto rerun = backtest("run -c " + cfg + " --data " + files.front() + " --no-progress --report " + report);
  EXPECT_EQ(rerun.code, 0) << rerun.out;
  std::ifstream in(report);
  auto rj = json::parse(in, nullptr, false);
  ASSERT_TRUE(rj.is_object()) << rerun.out;
  EXPECT_EQ(rj["metadata"]["market"], "data");
  EXPECT_GT(rj["metadata"]["data"][0].value("records", 0), 0) << rj["metadata"].dump();
}
