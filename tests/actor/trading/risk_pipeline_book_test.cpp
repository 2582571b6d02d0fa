// The risk actor with level-2 books from market_data (depth fails closed without one, a feed
// marked unhealthy drops the book), deposits/withdrawals found in the ledger (audited, kept
// out of the drawdown) and pyramiding counts persisted in the risk store.
#include "tests/actor/trading/risk_pipeline_fixture.hpp"

using namespace risk_pipeline;

TEST_F(RiskPipelineTest, WithoutALevel2BookAnEntryIsRefusedAndABookSnapshotLetsItThrough) {
  auto risk = start();
  caf::anon_send(risk, btc_quote(50'000, 50'001, now));  // a quote, no book
  run();
  auto v = propose(risk, buy("breakout:1"));
  ASSERT_TRUE(v);
  ASSERT_FALSE(v->approved);
  EXPECT_EQ(v->rejections.at(0).check, "INSUFFICIENT_DEPTH");
  EXPECT_NE(v->rejections.at(0).detail.find("book=none"), std::string::npos);
  market(risk, 50'000, 50'001);
  v = propose(risk, buy("breakout:2"));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->approved) << v->rejections.at(0).detail;
}

TEST_F(RiskPipelineTest, AnUnhealthyFeedDropsTheBookUntilTheNextSnapshot) {
  auto risk = start();
  market(risk, 50'000, 50'001);
  caf::anon_send(risk, feed_health{product_id{"BTC-USD"}, false, true, 0, now});
  run();
  auto v = propose(risk, buy("breakout:1"));
  ASSERT_TRUE(v);
  ASSERT_FALSE(v->approved);
  EXPECT_EQ(v->rejections.at(0).check, "INSUFFICIENT_DEPTH");
}

TEST_F(RiskPipelineTest, AWithdrawalIsAuditedAsACashFlowAndDoesNotTripTheDrawdown) {
  auto risk = start();
  market(risk, 50'000, 50'001);
  portfolio_update u;
  u.cash = usd(20'000);
  u.reconciled = true;
  push(risk, u);
  u.cash = usd(15'000);  // 25 % withdrawn: far beyond max_drawdown_pct had it been a loss
  push(risk, u);
  auto flows = audits("cash_flow");
  ASSERT_EQ(flows.size(), 1u);
  EXPECT_EQ(flows[0]["kind"], "withdrawal");
  EXPECT_EQ(flows[0]["amount"], "-5000");
  EXPECT_FALSE(holds(gate_of(risk), gate_reason::max_drawdown));
  EXPECT_EQ(metric("trader_drawdown_pct", {}), 0);
}

TEST_F(RiskPipelineTest, AnAddIsCountedAndTheCountIsPersisted) {
  auto p = risk::default_risk_policy();
  p.pyramiding.enabled = true;
  p.pyramiding.add_cooldown_s = 0;
  p.per_symbol_cooldown_s = 0;
  p.min_seconds_between_trades = 0;
  auto risk = start({}, p);
  market(risk, 50'000, 50'001);
  portfolio_update u;
  u.cash = usd(19'500);
  u.positions = {btc(0.01, 40'000)};
  push(risk, u);
  auto add = buy("breakout:add");
  add.kind = proposal_kind::add;
  auto v = propose(risk, add);
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->approved) << v->rejections.at(0).detail;
  run();
  ASSERT_EQ(store->saved.count(risk::risk_keys::pyramid), 1u);
  auto j = nlohmann::json::parse(store->saved[risk::risk_keys::pyramid]);
  ASSERT_EQ(j["positions"].size(), 1u);
  EXPECT_EQ(j["positions"][0]["adds"], 1);
  // A restarted risk still knows: a second add is over max_adds_per_position (1).
  stop(risk);
  auto risk2 = start({}, p);
  market(risk2, 50'000, 50'001);
  push(risk2, u);
  v = propose(risk2, add);
  ASSERT_TRUE(v);
  ASSERT_FALSE(v->approved);
  EXPECT_NE(v->rejections.at(0).detail.find("rule=max_adds_per_position"), std::string::npos)
    << v->rejections.at(0).detail;
}
