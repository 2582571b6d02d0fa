// `backtest` as a process: --help names its commands, two runs write byte-identical files,
// --levels, the shipped config and the paper-demo profile match their checked-in baselines through
// `backtest compare` (regenerate: docs/backtest.md "Baselines"), compare's exit codes,
// walk-forward's windows, replay's honest refusal, --bars data|tape, and a slice of real data.

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;

const std::string bin = BACKTEST_BIN;
const std::string src = TRADER_SOURCE_DIR;

struct result {
  int code = -1;
  std::string out;
};

result run(const std::string& args) {
  result r;
  FILE* p = ::popen((bin + " " + args + " 2>&1").c_str(), "r");
  if (p == nullptr)
    return r;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
    r.out.append(buf, n);
  const int status = ::pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string slurp(const fs::path& p) {
  std::ifstream in{p, std::ios::binary};
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class BacktestCli : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("backtest_cli_" + std::to_string(::getpid()) + "_" +
                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string at(const std::string& name) const { return (dir / name).string(); }
  fs::path dir;
};

TEST_F(BacktestCli, HelpListsRunCompareWalkForwardAndReplay) {
  auto r = run("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* cmd : {"run", "compare", "walk-forward", "replay"})
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
}

TEST_F(BacktestCli, TwoRunsWriteByteIdenticalReportChartPageAndAudit) {
  const std::string args = "run -c " + src + "/config/profiles/paper-demo --days 1 --seed 7 --no-progress";
  ASSERT_EQ(run(args + " --report " + at("a.json") + " --audit " + at("a.jsonl")).code, 0);
  ASSERT_EQ(run(args + " --report " + at("b.json") + " --audit " + at("b.jsonl")).code, 0);
  for (const char* ext : {".json", ".svg", ".html", ".jsonl"}) {
    const auto a = slurp(at(std::string{"a"} + ext)), b = slurp(at(std::string{"b"} + ext));
    EXPECT_FALSE(a.empty()) << ext;
    EXPECT_EQ(a, b) << ext << " differs between two runs";
  }
  auto j = nlohmann::json::parse(slurp(at("a.json")));
  EXPECT_EQ(j["metadata"]["seed"], 7);
  EXPECT_EQ(j["metadata"]["config_hash"].get<std::string>().size(), 16u);
  EXPECT_GT(j["orders"].size(), 0u) << "the paper-demo profile trades on the synthetic market";
}

TEST_F(BacktestCli, LevelsSetsTheDepthOfTheSimulatedBook) {
  const std::string args = "run -c " + src + "/config/profiles/paper-demo --days 1 --seed 7 --no-progress";
  ASSERT_EQ(run(args + " --report " + at("ten.json")).code, 0);
  ASSERT_EQ(run(args + " --levels 3 --report " + at("three.json")).code, 0);
  auto ten = nlohmann::json::parse(slurp(at("ten.json"))), three = nlohmann::json::parse(slurp(at("three.json")));
  EXPECT_EQ(ten["metadata"]["levels"], 10) << "the default";
  EXPECT_EQ(three["metadata"]["levels"], 3);
  // Another book is another market: its fills (prices, sizes) are not the default's.
  EXPECT_NE(ten["orders"].dump(), three["orders"].dump());
  auto bad = run(args + " --levels 0");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.out.find("--levels"), std::string::npos) << bad.out;
}

TEST_F(BacktestCli, ShippedConfigMatchesItsBaseline) {
  ASSERT_EQ(run("run -c " + src + "/config --days 2 --seed 1 --no-progress --report " + at("r.json")).code, 0);
  auto r = run("compare " + src + "/tests/system/backtest/baselines/shipped_synthetic.json " + at("r.json"));
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(BacktestCli, PaperDemoProfileMatchesItsBaseline) {
  ASSERT_EQ(run("run -c " + src + "/config/profiles/paper-demo --days 2 --seed 1 --no-progress --report " + at("r.json"))
              .code,
            0);
  auto r = run("compare " + src + "/tests/system/backtest/baselines/paper_demo_synthetic.json " + at("r.json") +
               " --tolerance 2%");
  EXPECT_EQ(r.code, 0) << r.out;
}

TEST_F(BacktestCli, CompareExitsZeroOneOrTwo) {
  const auto base = src + "/tests/system/backtest/baselines/paper_demo_synthetic.json";
  EXPECT_EQ(run("compare " + base + " " + base).code, 0);
  auto j = nlohmann::json::parse(slurp(base));
  j["regression"]["total_trades"] = j["regression"]["total_trades"].get<double>() + 10;
  std::ofstream{at("worse.json")} << j.dump();
  auto r = run("compare " + base + " " + at("worse.json"));
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("total_trades"), std::string::npos);
  std::ofstream{at("junk.json")} << "{not json";
  EXPECT_EQ(run("compare " + base + " " + at("junk.json")).code, 2);
  EXPECT_EQ(run("compare " + base + " " + at("absent.json")).code, 2);
  EXPECT_EQ(run("compare " + base + " " + base + " --tolerance=-3%").code, 2);
}

TEST_F(BacktestCli, WalkForwardWritesEveryWindowAndItsGates) {
  auto r = run("walk-forward -c " + src + "/config/profiles/paper-demo --days 1 --mode rolling --windows 2 --report " +
               at("wf.json"));
  ASSERT_TRUE(r.code == 0 || r.code == 1) << r.out;
  auto j = nlohmann::json::parse(slurp(at("wf.json")));
  EXPECT_EQ(j["windows"].size(), 2u);
  for (const char* g : {"win_rate_pct", "profit_factor", "sharpe", "max_drawdown_pct", "oos_decay_pct"})
    EXPECT_TRUE(j["gates"].contains(g)) << g;
  EXPECT_EQ(j["pass"].get<bool>(), r.code == 0);
}

TEST_F(BacktestCli, ReplayOfAMissingRecordingIsAnErrorNamingIt) {
  auto r = run("replay " + at("none.rec"));
  EXPECT_EQ(r.code, 2) << r.out;  // 0 equivalent, 1 diverged, 2 unreadable (docs/backtest.md)
  EXPECT_NE(r.out.find("none.rec"), std::string::npos) << r.out;
}

TEST_F(BacktestCli, AMissingDataFileIsReportedNotRun) {
  auto r = run("run -c " + src + "/config --data " + at("missing.csv"));
  EXPECT_EQ(r.code, 66);
  EXPECT_NE(r.out.find("missing.csv"), std::string::npos);
}

TEST_F(BacktestCli, BarsTapeFeedsTheSimulatedTapeAndBarsDataTheFile) {
  {
    std::ofstream out(at("btc-usd.csv"));
    out << "timestamp,open,high,low,close,volume\n";
    for (int m = 0; m < 120; ++m)  // two hours of a 20 USD zigzag around 50 000
      out << 1'780'000'020 + 60 * m << ",50000," << 50'010 + (m % 2) * 10 << ",49990," << 50'000 + (m % 2) * 20
          << ",12\n";
  }
  auto counted = [&](const std::string& bars) {
    auto r = run("run -c " + src + "/config --data " + at("btc-usd.csv") + " --no-progress" + bars);
    EXPECT_EQ(r.code, 0) << r.out;
    const auto pos = std::min(r.out.find("(candles "), r.out.size());
    return r.out.substr(pos, r.out.find(')', pos) + 1 - pos);  // "(candles N, ticks M)"
  };
  const auto data = counted(""), tape = counted(" --bars tape");
  EXPECT_EQ(data.rfind("(candles 120, ticks 0)", 0), 0u) << "default --bars data: the file's bars: " << data;
  EXPECT_EQ(tape.rfind("(candles 0, ticks ", 0), 0u) << "--bars tape: the simulated prints: " << tape;
  EXPECT_EQ(tape.rfind("(candles 0, ticks 0)", 0), std::string::npos) << tape;
  EXPECT_EQ(counted(" --bars data"), data);
  auto bad = run("run -c " + src + "/config --data " + at("btc-usd.csv") + " --bars candles");
  EXPECT_NE(bad.code, 0);
  EXPECT_NE(bad.out.find("--bars"), std::string::npos) << bad.out;
}

TEST_F(BacktestCli, FtxMinutesRunAndTheReportNamesTheFileHash) {
  const std::string data = std::string{TRADER_MARKET_DATA_DIR} + "/ftx_btc-perp_1m_20211231-20220201.csv";
  if (!fs::exists(data))
    GTEST_SKIP() << "shared data not present: " << data;
  auto r = run("run -c " + src + "/config/profiles/paper-demo --data " + data + " --to 2022-01-04 --no-progress --report " +
               at("ftx.json"));
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(slurp(at("ftx.json")));
  EXPECT_EQ(j["metadata"]["data"][0]["sha256"], "65ab55cd5f3531aa64f429772a38331fe82a92973cbb32a79b243073236c8da3");
  EXPECT_EQ(j["metadata"]["products"][0], "BTC-USD");
  EXPECT_EQ(j["metadata"]["range"]["to"], "2022-01-04T00:00:00Z");
  EXPECT_GT(j["summary"]["candles"].get<int>(), 3 * 1440 - 60);
}

} // namespace
