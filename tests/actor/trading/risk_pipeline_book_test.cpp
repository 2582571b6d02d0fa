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

namespace {
/// market_data as risk meets it after the first snapshot went by: it publishes BTC-USD and
/// answers get_book with its current book.
caf::behavior fake_market_data(caf::event_based_actor*, std::shared_ptr<int> asked) {
  return {
    [=](const subscribe_feed&) -> subscribed { return subscribed{{product_id{"BTC-USD"}}}; },
    [=](const get_book& g) -> book_snapshot {
      ++*asked;
      book_snapshot b;
      b.product = g.product;
      b.bids = {{px(50'000), qty(1)}};
      b.asks = {{px(50'001), qty(1)}};
      b.sequence = 10;
      return b;
    },
  };
}
} // namespace

TEST_F(RiskPipelineTest, ASubscriberThatMissedTheSnapshotReadsTheBookFromMarketData) {
  auto asked = std::make_shared<int>(0);
  reg_.put(names::market_data, keep(sys().spawn(fake_market_data, asked)));
  auto risk = start();
  caf::anon_send(risk, btc_quote(50'000, 50'001, now));
  advance(1s);  // the tick: subscribed, then the book asked for
  advance(1s);
  EXPECT_GE(*asked, 1);
  auto v = propose(risk, buy("breakout:1"));
  ASSERT_TRUE(v);
  EXPECT_TRUE(v->approved) << v->rejections.at(0).check << " " << v->rejections.at(0).detail;
  const int before = *asked;
  advance(10s);  // a usable book is not asked for again
  EXPECT_EQ(*asked, before);
}
