// The decision stream: traderd's verdict audit payload and backtest's reduce to the same
// canonical line; a backtest run's --audit stream verifies to its report's intent_hash; an
// altered line is caught; another configuration's run is named at its first divergence.

#include "actors/infra/audit/decision_stream.hpp"
#include "runtime/config/config_hash.hpp"
#include "tools/backtest/decisions.hpp"
#include "tools/backtest/run.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace {

using namespace trader;
using nlohmann::json;

json intent() {
  return {{"proposal_id", "x"}, {"product", "BTC-USD"}, {"side", "buy"}, {"type", "limit"}, {"tif", "gtd"},
          {"limit_px", "50000.00"}, {"base_size", "0.002"}, {"quote_size", "0"}, {"post_only", true},
          {"reduce_only", false}};
}

TEST(DecisionStream, TraderdsVerdictAndBacktestsReduceToOneLine) {
  // As risk_trading.cpp verdict_json writes it: wall-clock ids and times, details, extras.
  json live{{"proposal_id", "p1796212800123-42-1"}, {"strategy", "momentum"}, {"product", "BTC-USD"},
            {"side", "buy"}, {"kind", "open"}, {"target", "150.00"}, {"confidence", 0.7}, {"approved", true},
            {"rejections", json::array()}, {"resized", json::array({{{"check", "SIZE"}, {"detail", "x"}}})},
            {"desired", "150"}, {"allowed", "100"}, {"gate_open", true}, {"ts", 1796212800123456789LL},
            {"rationale", "strategy=momentum ..."}, {"intent", intent()}};
  // As backtest's pipeline writes it.
  json bt{{"proposal_id", "bt-p-42-1"}, {"strategy", "momentum"}, {"product", "BTC-USD"}, {"side", "buy"},
          {"kind", "open"}, {"target", "150.00"}, {"confidence", 0.7}, {"approved", true}, {"ts", 42},
          {"rationale", "other text"}, {"rejections", json::array()}, {"intent", intent()}};
  bt["intent"]["proposal_id"] = "bt-p-42-1";
  auto a = audit::decision_line("risk_verdict", live), b = audit::decision_line("risk_verdict", bt);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  bt["intent"]["base_size"] = "0.003";  // another order is another decision
  EXPECT_NE(*a, *audit::decision_line("risk_verdict", bt));
  EXPECT_FALSE(audit::decision_line("proposal", live));
  EXPECT_FALSE(audit::decision_line("risk_exit", json{{"kind", "stop_loss"}, {"sent", false}}));
}

TEST(DecisionStream, StampingChainsTheHashFromZero) {
  audit::decision_chain c;
  json v1{{"strategy", "s"}, {"approved", false}, {"rejections", json::array({{{"check", "GATE_CLOSED"}}})}};
  json x{{"kind", "stop_loss"}, {"sent", true}, {"intent", intent()}};
  ASSERT_TRUE(audit::stamp_decision(c, "risk_verdict", v1));
  ASSERT_TRUE(audit::stamp_decision(c, "risk_exit", x));
  const auto l1 = *audit::decision_line("risk_verdict", v1), l2 = *audit::decision_line("risk_exit", x);
  const auto h1 = config::sha256_hex("0\n" + l1);
  EXPECT_EQ(v1["decision_hash"], h1);
  EXPECT_EQ(v1["decision_seq"], 1);
  EXPECT_EQ(x["decision_hash"], config::sha256_hex(h1 + "\n" + l2));
  EXPECT_EQ(c.seq(), 2u);
}

class DecisionLogs : public ::testing::Test {
protected:
  static config::trader_config momentum(double stop_loss_pct) {
    config::trader_config c;
    c.strategies["momentum"].enabled = true;
    c.strategies["momentum"].stop_loss_pct = stop_loss_pct;
    c.triggers.granularity = "ONE_MINUTE";
    return c;
  }
  std::string run_to_file(const config::trader_config& c, const std::string& name, backtest::run_result& r) {
    backtest::run_options o;
    o.days = 0.5;
    o.keep_audit = true;
    backtest::run_loaded(c, backtest::market_data{{}, {}, true}, o, r);
    auto path = (dir / name).string();
    std::ofstream out(path);
    for (const auto& l : r.rec.audit)
      out << l << "\n";
    return path;
  }
  void SetUp() override {
    dir = std::filesystem::temp_directory_path() /
          ("bt-decisions-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir);
  }
  void TearDown() override { std::filesystem::remove_all(dir); }
  std::filesystem::path dir;
};

TEST_F(DecisionLogs, ARunsAuditStreamVerifiesToItsReportsIntentHash) {
  backtest::run_result r;
  auto path = run_to_file(momentum(0), "a.jsonl", r);
  auto s = backtest::read_decision_stream(path);
  ASSERT_TRUE(s.error.empty()) << s.error;
  EXPECT_TRUE(s.problem.empty()) << s.problem;
  ASSERT_GT(s.decisions.size(), 2u);
  EXPECT_EQ(s.decisions.size(), r.rec.chain.seq());
  EXPECT_EQ(s.hash, r.rec.intent_hash);
  EXPECT_EQ(backtest::cmd_decisions(path, path), 0);
}

TEST_F(DecisionLogs, AnAlteredDecisionIsCaught) {
  backtest::run_result r;
  auto path = run_to_file(momentum(0), "a.jsonl", r);
  std::vector<std::string> lines;
  {
    std::ifstream in(path);
    for (std::string l; std::getline(in, l);)
      lines.push_back(l);
  }
  bool altered = false;
  for (auto& l : lines) {
    auto j = json::parse(l);
    if (!altered && j["kind"] == "risk_verdict" && j["payload"]["approved"] == true) {
      j["payload"]["intent"]["base_size"] = "999";
      l = j.dump();
      altered = true;
    }
  }
  ASSERT_TRUE(altered);
  std::ofstream(path) << [&] {
    std::string t;
    for (const auto& l : lines)
      t += l + "\n";
    return t;
  }();
  auto s = backtest::read_decision_stream(path);
  EXPECT_FALSE(s.problem.empty());
  EXPECT_EQ(backtest::cmd_decisions(path, ""), 1);
}

TEST_F(DecisionLogs, AChangedConfigurationIsNamedAtItsFirstDivergence) {
  backtest::run_result a, b;
  auto pa = run_to_file(momentum(0), "a.jsonl", a);
  auto pb = run_to_file(momentum(1.0), "b.jsonl", b);  // a 1 % stop instead of the policy's
  auto sa = backtest::read_decision_stream(pa), sb = backtest::read_decision_stream(pb);
  auto d = backtest::first_divergence(sa, sb);
  ASSERT_TRUE(d.has_value());
  EXPECT_NE(sa.hash, sb.hash);
  EXPECT_NE(d->a, d->b);
  EXPECT_NE(d->a.find("a.jsonl:"), std::string::npos);
  for (std::size_t i = 0; i < d->index; ++i)
    EXPECT_EQ(sa.decisions[i].line, sb.decisions[i].line);  // everything before it agrees
  EXPECT_EQ(backtest::cmd_decisions(pa, pb), 1);
}

} // namespace
