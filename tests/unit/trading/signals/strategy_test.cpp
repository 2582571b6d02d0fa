// The strategy framework: the built-in strategies, budgets, dedupe by symbol, the ensemble,
// no-trade reasons, and the look-ahead guard.

#include "actors/trading/signals/strategy.hpp"
#include "test_bars.hpp"

#include <gtest/gtest.h>

namespace trader::signals {
namespace {

using test::at_min;

strategy_params rules(const std::string& name, const std::string& trigger, double notional = 100) {
  strategy_params p;
  p.name = name;
  p.kind = "rules";
  p.enabled = true;
  p.trigger = trigger;
  p.notional_usd = notional;
  p.max_positions = 3;
  p.max_trades_per_cycle = 2;
  p.stop_loss_pct = 2;
  p.take_profit_pct = 4;
  return p;
}

strategy_params rsi(const std::string& name) {
  strategy_params p;
  p.name = name;
  p.kind = "rsi_reversion";
  p.enabled = true;
  p.rsi_oversold = 30;
  return p;
}

product_signals sig(const std::string& p, std::vector<fired_trigger> fired, double rsi_v = 50,
                    ts_ns bar = at_min(9)) {
  product_signals s;
  s.product = product_id{p};
  s.fired = std::move(fired);
  s.last_close = test::px(100);
  s.atr = test::px(1.5);
  s.rsi = rsi_v;
  s.bar_start = bar;
  return s;
}

fired_trigger fired(const std::string& id, double confidence) {
  return fired_trigger{id, 2, confidence, 3.0, 1.5, id + ": detail"};
}

signal_batch batch(std::vector<product_signals> ps, double mult = 1.0, std::string regime = "bull") {
  signal_batch b;
  b.cycle = 7;
  b.granularity_s = 60;
  b.regime = std::move(regime);
  b.size_multiplier = mult;
  b.products = std::move(ps);
  return b;
}

const ts_ns now = at_min(10);  // bars starting at minute 9 have closed

TEST(Strategies, RulesStrategyTurnsItsTriggerIntoAnOpeningBuy) {
  strategy_registry reg({rules("breakout", "breakout")}, {});
  auto r = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.7)})}, 0.5), {}, now, "run1");
  ASSERT_EQ(r.proposals.size(), 1u);
  const auto& p = r.proposals[0];
  EXPECT_EQ(p.proposal_id, "run1-7-1");
  EXPECT_EQ(p.strategy, "breakout");
  EXPECT_EQ(p.product.value, "BTC-USD");
  EXPECT_EQ(p.dir, side::buy);
  EXPECT_EQ(p.kind, proposal_kind::open);
  EXPECT_EQ(p.target, notional::from_double(50));  // 100 × the regime's 0.5
  EXPECT_DOUBLE_EQ(p.confidence, 0.7);
  EXPECT_DOUBLE_EQ(p.exits.stop_loss_pct, 2);
  EXPECT_DOUBLE_EQ(p.exits.take_profit_pct, 4);
  EXPECT_EQ(p.exits.atr, test::px(1.5));
  EXPECT_EQ(p.cycle, 7);
  EXPECT_EQ(p.ts, now);
  EXPECT_NE(p.rationale.find("breakout: detail"), std::string::npos);
  EXPECT_EQ(p.trigger_ids, std::vector<std::string>{"breakout"});
  EXPECT_TRUE(r.no_trade_reason.empty());
}

// ATR-based exits: the strategy's multiples travel with the base timeframe's ATR, from which
// risk arms the stop and take profit at the fill (docs/risk.md, EXIT_ATR_UNKNOWN without one).
TEST(Strategies, AtrBasedExitsCarryTheMultiplesAndTheAtr) {
  auto p = rules("breakout", "breakout");
  p.stop_loss_pct = 0;
  p.take_profit_pct = 0;
  p.stop_loss_atr = 2;
  p.take_profit_atr = 3.5;
  strategy_registry reg({p}, {});
  auto r = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.7)})}), {}, now, "x");
  ASSERT_EQ(r.proposals.size(), 1u);
  const auto& e = r.proposals[0].exits;
  EXPECT_DOUBLE_EQ(e.stop_loss_atr, 2);
  EXPECT_DOUBLE_EQ(e.take_profit_atr, 3.5);
  EXPECT_DOUBLE_EQ(e.stop_loss_pct, 0);
  EXPECT_EQ(e.atr, test::px(1.5));
}

TEST(Strategies, ATriggerTheStrategyDoesNotConsumeProposesNothing) {
  strategy_registry reg({rules("breakout", "breakout")}, {});
  auto r = reg.run(batch({sig("BTC-USD", {fired("momentum", 0.9)})}), {}, now, "x");
  EXPECT_TRUE(r.proposals.empty());
  EXPECT_EQ(r.no_trade_reason, "no_matching_signal");
}

TEST(Strategies, ASignalBelowTheStrategysConfidenceIsIgnored) {
  auto p = rules("breakout", "breakout");
  p.min_confidence = 0.8;
  strategy_registry reg({p}, {});
  auto r = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.7)})}), {}, now, "x");
  EXPECT_TRUE(r.proposals.empty());
  EXPECT_EQ(r.no_trade_reason, "below_confidence");
}

TEST(Strategies, RsiReversionEntersOnlyWhenOversold) {
  strategy_registry reg({rsi("rsi")}, {});
  auto r = reg.run(batch({sig("BTC-USD", {}, 25), sig("ETH-USD", {}, 45)}), {}, now, "x");
  ASSERT_EQ(r.proposals.size(), 1u);
  EXPECT_EQ(r.proposals[0].product.value, "BTC-USD");
  EXPECT_NEAR(r.proposals[0].confidence, 0.5 + 0.5 * 5 / 30, 1e-12);
}

TEST(Strategies, DedupeBySymbolHighestConfidenceWins) {
  strategy_registry reg({rules("a_breakout", "breakout"), rules("b_momentum", "momentum")}, {});
  auto r = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.6), fired("momentum", 0.8)})}), {}, now, "x");
  ASSERT_EQ(r.proposals.size(), 1u);
  EXPECT_EQ(r.proposals[0].strategy, "b_momentum");
}

TEST(Strategies, EnsembleNeedsKAgreeingStrategiesAboveTheThreshold) {
  ensemble_params ens{true, 2, 0.8, 0.5};
  strategy_registry reg({rules("a", "breakout"), rules("b", "momentum")}, ens);
  auto one = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.9)})}), {}, now, "x");
  EXPECT_TRUE(one.proposals.empty());
  EXPECT_EQ(one.no_trade_reason, "ensemble_disagree");
  auto weak = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.7), fired("momentum", 0.8)})}), {}, now, "x");
  EXPECT_EQ(weak.no_trade_reason, "ensemble_disagree");
  auto both = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.8), fired("momentum", 0.9)})}), {}, now, "x");
  ASSERT_EQ(both.proposals.size(), 1u);
  EXPECT_EQ(both.proposals[0].strategy, "ensemble:a+b");
  EXPECT_NEAR(both.proposals[0].confidence, 0.85, 1e-12);
  EXPECT_EQ(both.proposals[0].limit_px, price::from_double(100.5));  // +0.5 % entry zone
  EXPECT_EQ(both.proposals[0].trigger_ids, (std::vector<std::string>{"breakout", "momentum"}));
}

TEST(Strategies, AnOpenPositionOrAFullBudgetStopsNewEntries) {
  auto p = rules("breakout", "breakout");
  p.max_positions = 1;
  strategy_registry reg({p}, {});
  position_state held;
  held.product = product_id{"BTC-USD"};
  held.strategy = "breakout";
  std::vector<position_state> pos{held};
  auto r = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.9)})}), pos, now, "x");
  EXPECT_EQ(r.no_trade_reason, "position_open");
  auto r2 = reg.run(batch({sig("ETH-USD", {fired("breakout", 0.9)})}), pos, now, "x");
  EXPECT_EQ(r2.no_trade_reason, "budget_exhausted");
}

TEST(Strategies, MaxTradesPerCycleCapsProposals) {
  auto p = rules("breakout", "breakout");
  p.max_trades_per_cycle = 1;
  strategy_registry reg({p}, {});
  auto r = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.6)}), sig("ETH-USD", {fired("breakout", 0.9)})}), {},
                   now, "x");
  ASSERT_EQ(r.proposals.size(), 1u);
  EXPECT_EQ(r.proposals[0].product.value, "ETH-USD");  // the stronger one
}

TEST(Strategies, CrashRegimeAndEmptyInputsGiveNoTradeReasons) {
  strategy_registry reg({rules("breakout", "breakout")}, {});
  EXPECT_EQ(reg.run(batch({sig("BTC-USD", {fired("breakout", 0.9)})}, 0.0, "crash"), {}, now, "x").no_trade_reason,
            "crash_regime");
  EXPECT_EQ(reg.run(batch({}), {}, now, "x").no_trade_reason, "empty_universe");
  auto blocked = sig("BTC-USD", {});
  blocked.blocked = true;
  EXPECT_EQ(reg.run(batch({blocked}), {}, now, "x").no_trade_reason, "all_blocked");
  EXPECT_EQ(reg.run(batch({sig("BTC-USD", {})}), {}, now, "x").no_trade_reason, "no_signal");
  strategy_registry off({}, {});
  EXPECT_EQ(off.run(batch({sig("BTC-USD", {})}), {}, now, "x").no_trade_reason, "no_strategy_enabled");
}

TEST(Strategies, DisabledStrategiesDoNotRun) {
  auto p = rules("breakout", "breakout");
  p.enabled = false;
  strategy_registry reg({p, rsi("rsi")}, {});
  EXPECT_EQ(reg.enabled(), std::vector<std::string>{"rsi"});
}

// Look-ahead: a signal resting on a bar that has not closed at the cycle's clock (minute 10
// bar read at 10:30) is refused and counted; nothing is proposed from it.
TEST(Strategies, ASignalOnABarThatHasNotClosedIsCaught) {
  strategy_registry reg({rules("breakout", "breakout")}, {});
  auto r = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.9)}, 50, at_min(10))}), {}, now + 30 * ns_per_s, "x");
  EXPECT_TRUE(r.proposals.empty());
  EXPECT_EQ(r.look_ahead, 1u);
  EXPECT_EQ(r.no_trade_reason, "look_ahead");
  auto ok = reg.run(batch({sig("BTC-USD", {fired("breakout", 0.9)}, 50, at_min(10))}), {}, at_min(11), "x");
  EXPECT_EQ(ok.proposals.size(), 1u);
}

TEST(Strategies, UnknownKindMakesNoStrategy) {
  strategy_params p;
  p.kind = "martingale";
  EXPECT_EQ(make_strategy(p), nullptr);
}

TEST(Strategies, TheCorrelationFilterSkipsACandidateThatMovesWithAHeldProduct) {
  strategy_registry reg({rules("breakout", "breakout")}, {}, correlation_params{true, 10, 0.8});
  std::vector<double> up, same, other;
  for (int i = 0; i < 11; ++i) {
    up.push_back(100 + i * i);
    same.push_back(50 + 0.5 * i * i);  // the same returns pattern
    other.push_back(100 + (i % 3) * 2.0 - (i % 2) * 3.0);
  }
  auto eth = sig("ETH-USD", {fired("breakout", 0.9)});
  eth.closes = same;
  auto sol = sig("SOL-USD", {fired("breakout", 0.8)});
  sol.closes = other;
  auto btc = sig("BTC-USD", {});
  btc.closes = up;
  position_state held;
  held.product = product_id{"BTC-USD"};
  held.strategy = "breakout";
  std::vector<position_state> pos{held};
  auto r = reg.run(batch({btc, eth, sol}), pos, now, "x");
  ASSERT_EQ(r.proposals.size(), 1u);
  EXPECT_EQ(r.proposals[0].product.value, "SOL-USD");
  EXPECT_TRUE(std::any_of(r.notes.begin(), r.notes.end(),
                          [](const std::string& n) { return n.rfind("correlated: ETH-USD vs held BTC-USD", 0) == 0; }));
  auto only_eth = reg.run(batch({btc, eth}), pos, now, "x");
  EXPECT_EQ(only_eth.no_trade_reason, "correlated");
}

} // namespace
} // namespace trader::signals
