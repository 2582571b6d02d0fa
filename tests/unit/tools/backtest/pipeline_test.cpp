// The pipeline in virtual time: no look-ahead, a stop-loss that fires from the market's
// path, determinism of whole runs, and the books agreeing with the fills.

#include "tools/backtest/pipeline/pipeline.hpp"
#include "tools/backtest/report/report.hpp"
#include "tools/backtest/run.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace {

using namespace trader;
using namespace trader::backtest;

simex::candle flat(std::int64_t start, double px) {
  const auto p = price::from_double(px);
  return simex::candle{start, p, p, p, p, size::from_int(1)};
}

/// TST-USD: flat at 100 for an hour, +4 % over 12 minutes (momentum fires), flat, then a
/// fall to 85 (through a 10 % stop), flat to the end.
market_data stop_scenario() {
  market_data md;
  product_data pd;
  pd.product = "TST-USD";
  double px = 100;
  for (std::int64_t m = 0; m < 180; ++m) {
    double next = px;
    if (m >= 60 && m < 72)
      next = px * 1.0035;
    else if (m >= 100 && m < 110)
      next = px * 0.98;
    simex::candle c = flat(1'767'225'600 + m * 60, px);
    c.close = price::from_double(next);
    c.high = std::max(c.open, c.close);
    c.low = std::min(c.open, c.close);
    pd.candles.push_back(c);
    px = next;
  }
  md.products.push_back(std::move(pd));
  return md;
}

config::trader_config momentum_market_orders() {
  config::trader_config c;
  c.strategies["momentum"].enabled = true;
  c.triggers.granularity = "ONE_MINUTE";
  c.execution.default_order_type = config::order_type::market;
  return c;
}

TEST(Pipeline, ABarWhoseMinuteHasNotEndedIsRefused) {
  auto md = stop_scenario();
  sim_market m{md, market_options{}};
  const ts_ns t0 = md.products[0].candles[0].start * ns_per_s;
  m.start(t0);
  run_record rec;
  pipeline p{settings_from(config::trader_config{}), m, notional::from_int(10'000), rec};
  p.set_products({"TST-USD"});
  p.start(t0);
  const auto& c = md.products[0].candles[0];
  signals::bar b{c.start * ns_per_s, c.open, c.high, c.low, c.close, c.volume};
  p.on_bar("TST-USD", b, t0 + 30 * ns_per_s);  // the future: its minute ends at t0 + 60 s
  EXPECT_EQ(rec.lookahead_refused, 1u);
  const auto* before = p.store().series(product_id{"TST-USD"}, signals::granularity::one_minute);
  EXPECT_TRUE(before == nullptr || before->empty());
  p.on_bar("TST-USD", b, t0 + 60 * ns_per_s);
  EXPECT_EQ(rec.lookahead_refused, 1u);
  const auto* s = p.store().series(product_id{"TST-USD"}, signals::granularity::one_minute);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->size(), 1u);
}

TEST(Pipeline, AFallThroughTheStopExitsTheWholePositionAtMarket) {
  run_result r;
  run_options o;
  run_loaded(momentum_market_orders(), stop_scenario(), o, r);
  ASSERT_FALSE(r.rec.trades.empty()) << "no round trip";
  const auto& t = r.rec.trades.front();
  EXPECT_EQ(t.product, "TST-USD");
  EXPECT_EQ(t.strategy, "momentum");
  EXPECT_EQ(t.exit_reason, "stop_loss");
  EXPECT_LT(t.pnl, 0);
  EXPECT_NEAR(t.pnl_pct(), -10.0, 2.5);  // the stop is 10 % below entry; fees and slippage on top
  auto stop = std::find_if(r.rec.orders.begin(), r.rec.orders.end(), [](const order_row& o) { return o.purpose == "stop_loss"; });
  ASSERT_NE(stop, r.rec.orders.end());
  EXPECT_TRUE(stop->reduce_only);
  EXPECT_EQ(stop->state, "filled");
  EXPECT_TRUE(r.open_positions.empty());
  EXPECT_GT(r.rec.no_trade_reasons["STOP_OUT_COOLDOWN"] + r.rec.no_trade_reasons["SYMBOL_COOLDOWN"] +
              r.rec.no_trade_reasons["strategy:position_open"],
            0u);
}

TEST(Pipeline, EveryFillBelongsToARecordedOrderAndTheNavAddsUp) {
  run_result r;
  run_options o;
  o.days = 0.5;
  auto cfg = momentum_market_orders();
  run_loaded(cfg, market_data{{}, {}, true}, o, r);
  ASSERT_GT(r.rec.fills.size(), 0u);
  std::set<std::string> ids;
  for (const auto& x : r.rec.orders)
    ids.insert(x.id);
  for (const auto& f : r.rec.fills)
    EXPECT_TRUE(ids.count(f.order_id)) << f.order_id;
  double realized = 0;
  for (const auto& t : r.rec.trades)
    realized += t.pnl;
  if (r.open_positions.empty()) {  // flat at the end: NAV = cash = initial + realized PnL
    EXPECT_NEAR(r.final_nav, o.initial_cash + realized, 1e-6);
  }
  EXPECT_GT(r.rec.fees, 0);
}

TEST(Pipeline, SameInputsAndSeedGiveAByteIdenticalReport) {
  run_options o;
  o.days = 0.5;
  o.keep_audit = true;
  auto cfg = momentum_market_orders();
  run_result a, b, c;
  run_loaded(cfg, market_data{{}, {}, true}, o, a);
  run_loaded(cfg, market_data{{}, {}, true}, o, b);
  EXPECT_EQ(make_report(a).dump(), make_report(b).dump());
  EXPECT_EQ(a.rec.audit, b.rec.audit);
  EXPECT_NE(a.rec.intent_hash, "0");
  o.seed = 2;
  run_loaded(cfg, market_data{{}, {}, true}, o, c);
  EXPECT_NE(a.rec.intent_hash, c.rec.intent_hash);  // another market, other decisions
}

} // namespace
