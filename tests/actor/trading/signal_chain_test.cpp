// The decision chain on CAF's deterministic scheduler (issue 14): a tick becomes a proposal
// from closed bars; latency, bad ticks, no-trade reasons, stale series, failing risk and
// portfolio, the crash regime (REST backfill: signal_chain_backfill_test.cpp).

#include "tests/actor/trading/signal_chain_fixture.hpp"

using namespace trader;
using namespace trader::signal_chain_test;

namespace {

TEST_F(SignalChainTest, ATickBecomesAProposalFromClosedBarsAnsweredByRisk) {
  start();
  EXPECT_GE(box->candle_requests, 2);  // one backfill per product at start
  tick(1);
  ASSERT_EQ(box->proposals.size(), 1u);
  const auto& p = box->proposals[0];
  EXPECT_EQ(p.product.value, "BTC-USD");  // +5 % over 5 closed bars; ETH is flat
  EXPECT_EQ(p.strategy, "momentum");
  EXPECT_EQ(p.dir, side::buy);
  EXPECT_EQ(p.kind, proposal_kind::open);
  EXPECT_EQ(p.proposal_id, "test-1-1");
  EXPECT_EQ(p.cycle, 1);
  EXPECT_EQ(p.target, notional::from_double(100));  // 200 × chop's 0.5
  EXPECT_GT(p.confidence, 0.5);
  EXPECT_NE(p.rationale.find("strategy=momentum momentum: roc5_pct=5.00"), std::string::npos) << p.rationale;  // not the forming 150

  auto sig = ask(triggers, get_signals{});
  EXPECT_EQ(sig["products"].size(), 2u);
  EXPECT_EQ(sig["products"][0]["bar_start"].get<ts_ns>(), t0 + 29 * minute);
  auto st = ask(strategies, get_strategies{});
  EXPECT_EQ(st["proposals"].size(), 1u);
  EXPECT_TRUE(st["verdicts"]["test-1-1"]["approved"].get<bool>());
  auto kinds = box->audit_kinds();
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "universe"), kinds.end());
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "proposal"), kinds.end());
  const auto audited = nlohmann::json::parse(box->last_audit("proposal")->payload_json);
  EXPECT_EQ(audited["trigger_ids"], nlohmann::json::array({"momentum"}));  // the triggers behind it
  EXPECT_EQ(audited["confidence"].get<double>(), p.confidence);
  EXPECT_EQ(st["proposals"][0]["trigger_ids"], nlohmann::json::array({"momentum"}));
}

// Each stage of the cycle reports its duration to the latency actor under its name.
// market_data registered after triggers started (subtrees start concurrently): triggers
// looks again every second until subscribed — no live bar is built before — and says so.
TEST_F(SignalChainTest, TriggersSubscribesWithinASecondOfMarketDataAppearing) {
  with_market_data = false;
  start();
  EXPECT_FALSE(ask(triggers, get_signals{})["subscribed"].get<bool>());
  reg_.put(names::market_data, keep(sys().spawn(fake_market_data)));
  advance(1s);
  EXPECT_TRUE(ask(triggers, get_signals{})["subscribed"].get<bool>());
}

TEST_F(SignalChainTest, EveryStageOfACycleSendsItsLatency) {
  start();
  box->latency.clear();
  tick(1);
  EXPECT_EQ(box->latency, (std::vector<std::string>{"cycle.universe", "cycle.triggers", "cycle.strategies"}));
}

// A +30 % closed bar on ordinary volume: the guard holds it — audited, counted in the
// metric — and the product's triggers do not read a window holding it (ETH's +30 % would
// fire momentum), while the clean product still proposes.
TEST_F(SignalChainTest, ABadTickIsHeldAuditedCountedAndProposesNothing) {
  box->last_close["ETH-USD"] = 130;
  start();
  tick(1);
  ASSERT_EQ(box->proposals.size(), 1u);
  EXPECT_EQ(box->proposals[0].product.value, "BTC-USD");
  const auto* held = box->last_audit("bad_tick");
  ASSERT_NE(held, nullptr);
  auto j = nlohmann::json::parse(held->payload_json);
  EXPECT_EQ(j["product"], "ETH-USD");
  EXPECT_EQ(j["reason"].get<std::string>().rfind("BAD_TICK: px=130", 0), 0u) << j.dump();
  EXPECT_EQ(triggers_metric("bad_ticks_held_total"), 1);
  auto sig = ask(triggers, get_signals{});
  EXPECT_EQ(sig["bad_ticks_held"], 1);
  const auto* eth = signal_of(sig, "ETH-USD");
  ASSERT_NE(eth, nullptr);
  EXPECT_TRUE((*eth)["blocked"].get<bool>());
  EXPECT_NE((*eth)["reason"].get<std::string>().find("bad_tick"), std::string::npos) << eth->dump();
}

// The candles channel's bar is compared with the one we built or backfilled for its bucket;
// a close more than 1 % apart is counted (trader_triggers_candle_mismatch_total).
TEST_F(SignalChainTest, AnExchangeCandleThatDiffersFromOurBarIsCounted) {
  start();  // minute 20 of BTC stored at 100
  auto exchange_bar = [&](double close) {
    caf::anon_send(triggers, candle{product_id{"BTC-USD"}, 60, t0 + 20 * minute, px(100), px(std::max(100.0, close)),
                                    px(std::min(100.0, close)), px(close), size::from_double(1), box->now});
    run();
  };
  exchange_bar(100.5);  // 0.5 %: agrees
  EXPECT_EQ(triggers_metric("candle_mismatch_total"), 0);
  exchange_bar(103);
  EXPECT_EQ(triggers_metric("candle_mismatch_total"), 1);
}

// A feed outage: while market_data reports the product unhealthy the builders invent no
// "quiet" flat bars for minutes they could not see; those minutes come from the exchange over
// REST, and after the recovery the series holds the exchange's prices.
TEST_F(SignalChainTest, TheMinutesOfAFeedOutageAreBackfilledNotFilledFlat) {
  start();  // backfilled to minute 29; listening since 30:05
  const product_id btc{"BTC-USD"};
  box->now = t0 + 31 * minute + 10 * ns_per_s;
  caf::anon_send(triggers, market_trade{btc, trade_id{"1"}, px(105), size::from_double(1), side::buy, box->now, box->now});
  box->now = t0 + 32 * minute + 5 * ns_per_s;
  poll_triggers();  // minute 31 closed from the trade
  caf::anon_send(triggers, feed_health{btc, false, false, 30'000, box->now});
  run();
  box->last_close["BTC-USD"] = 112;  // the market moves while we cannot see it
  box->pages.clear();
  for (int m = 33; m <= 40; ++m) {
    box->now = t0 + m * minute + 5 * ns_per_s;
    poll_triggers();
  }
  std::size_t btc_pages = 0;
  for (const auto& q : box->pages)
    btc_pages += q.product == btc;
  EXPECT_GT(btc_pages, 0u);  // the outage's minutes were asked for
  caf::anon_send(triggers, feed_health{btc, true, false, 0, box->now});
  run();
  poll_triggers();
  tick(1);
  auto sig = ask(triggers, get_signals{});
  const auto* b = signal_of(sig, "BTC-USD");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ((*b)["close"].get<double>(), 112.0) << b->dump();  // not the last seen 105 carried flat
}

TEST_F(SignalChainTest, ACycleWithoutSignalsRecordsItsNoTradeReason) {
  box->last_close["BTC-USD"] = 100;
  start();
  tick(1);
  EXPECT_TRUE(box->proposals.empty());
  const auto* nt = box->last_audit("no_trade");
  ASSERT_NE(nt, nullptr);
  EXPECT_EQ(nlohmann::json::parse(nt->payload_json)["reason"], "no_signal");
}

TEST_F(SignalChainTest, AnEmptyUniverseAlertsAndSaysWhyNothingTraded) {
  box->listed.clear();
  start();
  tick(1);
  ASSERT_FALSE(box->alerts.empty());
  EXPECT_EQ(box->alerts.back().type, "empty_universe");
  EXPECT_FALSE(box->alerts.back().resolved);
  const auto* nt = box->last_audit("no_trade");
  ASSERT_NE(nt, nullptr);
  EXPECT_EQ(nlohmann::json::parse(nt->payload_json)["reason"], "empty_universe");
  auto u = ask(universe, get_universe{});
  ASSERT_EQ(u["excluded"].size(), 2u);
  EXPECT_EQ(u["excluded"][0]["reason"], "not_listed: the exchange does not list it");
}

TEST_F(SignalChainTest, AStaleSeriesBlocksItsProductUntilBackfilled) {
  start();
  box->now += 10 * minute;  // no trades came in: the backfilled series is 10 bars behind
  tick(1);
  EXPECT_TRUE(box->proposals.empty());
  auto sig = ask(triggers, get_signals{});
  EXPECT_TRUE(sig["products"][0]["blocked"].get<bool>());
  EXPECT_NE(sig["products"][0]["reason"].get<std::string>().find("stale"), std::string::npos);
}

TEST_F(SignalChainTest, ARiskThatFailsToAnswerDoesNotKillStrategies) {
  box->risk_answers = false;
  start();
  tick(1);
  ASSERT_EQ(box->proposals.size(), 1u);
  EXPECT_TRUE(alive(strategies));
  auto st = ask(strategies, get_strategies{});
  EXPECT_FALSE(st["verdicts"]["test-1-1"]["approved"].get<bool>());
}

TEST_F(SignalChainTest, ACycleOlderThanItsBudgetIsAbandoned) {
  start();
  caf::anon_send(universe, decision_tick{1, 20'000, box->now - 60 * ns_per_s});
  run();
  EXPECT_TRUE(box->proposals.empty());
  ASSERT_FALSE(box->alerts.empty());
  EXPECT_EQ(box->alerts.back().type, "cycle_overrun");
}

TEST_F(SignalChainTest, ACrashOfTheReferenceProductClosesTheGateAndStopsEntries) {
  box->last_close["BTC-USD"] = 85;  // −15 % in one closed bar: crash at once
  box->last_close["ETH-USD"] = 105;
  start();
  tick(1);
  EXPECT_TRUE(box->proposals.empty());
  ASSERT_FALSE(box->gates.empty());
  const auto& g = box->gates.back();
  EXPECT_EQ(g.source, names::triggers);
  ASSERT_EQ(g.active.size(), 1u);
  EXPECT_EQ(g.active[0].reason, gate_reason::crash_regime);
  const auto* nt = box->last_audit("no_trade");
  ASSERT_NE(nt, nullptr);
  EXPECT_EQ(nlohmann::json::parse(nt->payload_json)["reason"], "crash_regime");
}

TEST_F(SignalChainTest, WithoutThePortfolioNothingIsProposedAndTheCycleSaysWhy) {
  box->portfolio_answers = false;  // order_lifecycle does not answer: positions unknown
  start();
  tick(1);
  EXPECT_TRUE(box->proposals.empty());  // BTC's +5 % would propose (first test)
  const auto* nt = box->last_audit("no_trade");
  ASSERT_NE(nt, nullptr);
  EXPECT_EQ(nlohmann::json::parse(nt->payload_json)["reason"], "portfolio_unavailable");
  EXPECT_EQ(ask(strategies, get_strategies{})["no_trade_reason"], "portfolio_unavailable");
  box->portfolio_answers = true;
  box->now += 5 * ns_per_s;
  tick(2);
  EXPECT_EQ(box->proposals.size(), 1u);
}

} // namespace
