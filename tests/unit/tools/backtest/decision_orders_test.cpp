// Orders-only decision streams (`backtest decisions --orders`): the parity comparison keeps
// the orders a run placed — approved intents and sent exits — and drops rejected proposals,
// whose number and checks depend on when inputs reached risk.

#include "actors/infra/audit/decision_stream.hpp"
#include "tools/backtest/decisions.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using namespace trader;
using nlohmann::json;

json intent(const std::string& side, const std::string& size) {
  return {{"proposal_id", "x"}, {"product", "BTC-USD"}, {"side", side}, {"type", "limit"}, {"tif", "gtd"},
          {"limit_px", "50000.00"}, {"base_size", size}, {"quote_size", "0"}, {"post_only", true},
          {"reduce_only", side == "sell"}};
}

std::string approved(const std::string& size = "0.002") {
  return *audit::decision_line("risk_verdict", json{{"strategy", "momentum"}, {"product", "BTC-USD"}, {"side", "buy"},
                                                    {"kind", "open"}, {"target", "100"}, {"approved", true},
                                                    {"rejections", json::array()}, {"intent", intent("buy", size)}});
}

std::string rejected(const std::string& check) {
  return *audit::decision_line("risk_verdict",
                               json{{"strategy", "momentum"}, {"product", "BTC-USD"}, {"side", "buy"}, {"kind", "open"},
                                    {"target", "100"}, {"approved", false},
                                    {"rejections", json::array({{{"check", check}, {"detail", "d"}}})}});
}

std::string exit_sent(const std::string& size = "0.002") {
  return *audit::decision_line("risk_exit", json{{"kind", "stop_loss"}, {"sent", true}, {"intent", intent("sell", size)}});
}

backtest::decision_stream stream(const std::vector<std::string>& lines) {
  backtest::decision_stream s;
  s.chains = 1;
  for (std::size_t i = 0; i < lines.size(); ++i)
    s.decisions.push_back(backtest::logged_decision{"log:" + std::to_string(i + 1), lines[i], std::nullopt, std::nullopt});
  return s;
}

} // namespace

TEST(DecisionOrders, AnApprovedIntentAndASentExitAreOrdersARejectionIsNot) {
  auto entry = backtest::order_line(approved());
  ASSERT_TRUE(entry.has_value());
  auto e = json::parse(*entry);
  EXPECT_EQ(e["o"], "entry");
  EXPECT_EQ(e["strategy"], "momentum");
  EXPECT_EQ(e["intent"]["base_size"], "0.002");
  auto x = backtest::order_line(exit_sent());
  ASSERT_TRUE(x.has_value());
  EXPECT_EQ(json::parse(*x)["o"], "exit");
  EXPECT_EQ(json::parse(*x)["kind"], "stop_loss");
  EXPECT_FALSE(backtest::order_line(rejected("STALE_QUOTE")).has_value());
}

TEST(DecisionOrders, RunsThatRejectedDifferentlyButPlacedTheSameOrdersAreEqual) {
  auto live = stream({rejected("STALE_QUOTE"), approved(), rejected("PACING"), exit_sent()});
  auto bt = stream({approved(), exit_sent()});
  ASSERT_TRUE(backtest::first_divergence(live, bt).has_value());  // every decision: they differ
  auto a = backtest::orders_only(live), b = backtest::orders_only(bt);
  EXPECT_EQ(a.decisions.size(), 2u);
  EXPECT_EQ(a.decisions[0].where, "log:2");  // where the order stands in its log
  EXPECT_FALSE(backtest::first_divergence(a, b).has_value());
  EXPECT_EQ(a.hash, b.hash);
}

TEST(DecisionOrders, AnotherSizeIsAnotherOrderNamedAtItsPlace) {
  auto a = backtest::orders_only(stream({approved(), exit_sent("0.002")}));
  auto b = backtest::orders_only(stream({rejected("PACING"), approved(), exit_sent("0.0019")}));
  auto d = backtest::first_divergence(a, b);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->index, 1u);
  EXPECT_NE(d->b.find("log:3"), std::string::npos);
  EXPECT_NE(a.hash, b.hash);
}
