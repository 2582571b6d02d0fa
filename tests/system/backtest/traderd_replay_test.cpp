// traderd PAPER against a real simex process with --record-market (issue 19 item 7): the risk
// tape it writes replays through `backtest replay` to the same decisions — the hash over the
// replayed verdicts and exits equals the recorded one and the one traderd's audit log carries —
// and the same recording under a configuration with a tighter risk cap is refused (exit 1)
// with the first decision that differs.

#include "tests/system/backtest/run_backtest.hpp"
#include "tests/system/simex/simex_process.hpp"
#include "tests/system/traderd/paper_key.hpp"
#include "tests/system/traderd/traderd_fixture.hpp"

#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <sys/wait.h>

using namespace std::chrono_literals;
using namespace trader;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using backtest_test::backtest;
using backtest_test::ran;

/// The hash after `label` ("recorded: 12 decisions, hash H") in a replay's output.
std::string hash_after(const std::string& out, const std::string& label) {
  std::smatch m;
  if (std::regex_search(out, m, std::regex(label + ": [0-9]+ decisions(?: in [0-9]+ chain\\(s\\))?, hash ([0-9a-f]{64})")))
    return m[1];
  return {};
}

class TraderdReplayTest : public test::traderd_fixture {
protected:
  void SetUp() override {
    traderd_fixture::SetUp();
    // PAPER with credentials: simex knows the key's public half, so the reconcile agrees
    // and the gate opens (risk approves entries; the paper venue fills them).
    private_pem = test::write_paper_key(key_name, dir / "key.pub.pem");
    ASSERT_FALSE(private_pem.empty());
    simex = std::make_unique<trader::testing::simex_process>(
      std::vector<std::string>{"--api-key", key_name + "=" + (dir / "key.pub.pem"), "--log-file", "-"});
    write_app("mode = \"PAPER\"\n", "[metrics]\nenabled = false\n" + test::exchange_table(simex->rest(), simex->ws()));
    // Fast cycles on 1-minute bars and a momentum trigger low enough that simex's backfilled
    // history fires it at once (as traderd_decisions_test).
    write_overlay("policy.toml", "[loop]\ninterval_s = 2.0\ncycle_budget_s = 1.5\n");
    write_overlay("signals.toml", "[triggers]\ngranularity = \"ONE_MINUTE\"\n[triggers.momentum]\nenabled = true\n"
                                  "lookback_candles = 2\nthreshold_pct = 0.001\n");
    write_overlay("strategies.toml", "[strategies.momentum]\nenabled = true\nmin_confidence = 0.0\n");
  }
  std::vector<std::string> env() const {
    return {"COINBASE_API_KEY_NAME=" + key_name, "COINBASE_API_PRIVATE_KEY=" + private_pem};
  }
  std::string audit_dir() const { return dir / "log/audit"; }
  std::size_t approved() const {
    std::size_t n = 0;
    for (const auto& v : audit_lines("risk_verdict"))
      n += v["payload"].value("approved", false) ? 1 : 0;
    return n;
  }

  std::string key_name = "organizations/replay/apiKeys/test";
  std::string private_pem;
  std::unique_ptr<trader::testing::simex_process> simex;
};

} // namespace

TEST_F(TraderdReplayTest, ARecordedPaperSessionReplaysToItsHashAndATighterCapNamesTheDivergence) {
  const std::string recording = dir / "recording";
  auto p = start({"--record-market", recording}, env());
  ASSERT_TRUE(wait_ready(*p)) << p->err();
  EXPECT_TRUE(test::eventually([&] { return approved() >= 1 && audit_lines("risk_verdict").size() >= 5; }, 150s))
    << "approved " << approved() << " of " << audit_lines("risk_verdict").size() << " verdicts\n"
    << p->err();
  p->signal(SIGTERM);
  ASSERT_EQ(p->wait(60s), 0) << p->err();

  // The tape is beside the market recording.
  bool tape = false;
  for (auto& f : fs::directory_iterator(recording))
    tape = tape || f.path().filename().string().rfind("risk-", 0) == 0;
  ASSERT_TRUE(tape);

  // Replayed under the configuration it ran: equivalent, and the audit log's hash.
  auto same = backtest("replay " + recording + " --audit-log " + audit_dir());
  EXPECT_EQ(same.code, 0) << same.out;
  EXPECT_NE(same.out.find("equivalent: "), std::string::npos) << same.out;
  const auto recorded = hash_after(same.out, "recorded");
  ASSERT_EQ(recorded.size(), 64u) << same.out;
  EXPECT_EQ(hash_after(same.out, "replayed"), recorded) << same.out;
  auto log = backtest("decisions " + audit_dir());
  EXPECT_EQ(log.code, 0) << log.out;
  EXPECT_NE(log.out.find("hash " + recorded), std::string::npos) << log.out << same.out;

  // The same recording under a tighter per-order cap, below every entry risk approved (each
  // at least min_position_pct of NAV, 50 USD): the first approved verdict is where they part.
  const fs::path tighter = dir / "tighter";
  fs::copy(cfg, tighter, fs::copy_options::recursive);
  test::write_file(tighter / "policy.toml", "[loop]\ninterval_s = 2.0\ncycle_budget_s = 1.5\n[execution]\n"
                                             "max_order_usd = 10.0\n");
  auto diverged = backtest("replay " + recording + " -c " + tighter.string());
  EXPECT_EQ(diverged.code, 1) << diverged.out;
  EXPECT_NE(diverged.out.find("a DIFFERENT configuration"), std::string::npos) << diverged.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(diverged.out, m, std::regex("DIVERGE at decision ([0-9]+) \\(([^,]+), ([^)]+)\\):\n"
                                                            "  recorded (.*)\n  replayed (.*)\n")))
    << diverged.out;
  EXPECT_NE(m[2].str().find("T"), std::string::npos) << m[2];          // its time
  EXPECT_NE(m[3].str().find("risk-"), std::string::npos) << m[3];      // its line in the tape
  auto rec = json::parse(m[4].str(), nullptr, false), rep = json::parse(m[5].str(), nullptr, false);
  ASSERT_TRUE(rec.is_object() && rep.is_object()) << diverged.out;
  EXPECT_EQ(rec["d"], "verdict");
  EXPECT_TRUE(rec.value("approved", false)) << rec;  // the first approved entry
  EXPECT_NE(rec, rep);
}
