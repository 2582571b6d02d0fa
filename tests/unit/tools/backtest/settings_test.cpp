// backtest reads the configuration through traderd's own mappings: the signal side through
// signals::*_from_config (trader_signal_config), so keys the old private mapping lacked
// (rsi_reversion, atr_breakout, trend_filter, regime, strategy exits) reach the pipeline.

#include "tools/backtest/pipeline/settings.hpp"

#include "actors/trading/signals/signal_params_from_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace {

using namespace trader;

config::trader_config with_every_trigger() {
  config::trader_config c;
  c.triggers.granularity = "ONE_MINUTE";
  c.rsi_reversion = {true, 9, 25.0};
  c.atr_breakout = {true, 21, 2.5};
  c.trend_filter = {true, "FIFTEEN_MINUTE", 8, 34};
  c.regime.reference_product = "eth-usd";
  c.strategies["rsi_reversion"].enabled = true;
  c.strategies["rsi_reversion"].stop_loss_pct = 4.0;
  c.ensemble.enabled = true;
  c.ensemble.min_confidence_pct = 70.0;
  c.correlation.enabled = true;
  return c;
}

TEST(BacktestSettings, TheSignalSideIsReadThroughTraderdsMapping) {
  const auto c = with_every_trigger();
  const auto s = backtest::settings_from(c);
  const auto e = signals::engine_params_from_config(c);
  EXPECT_TRUE(s.engine.triggers.rsi_reversion.enabled);
  EXPECT_EQ(s.engine.triggers.rsi_reversion.period, 9);
  EXPECT_TRUE(s.engine.triggers.atr_breakout.enabled);
  EXPECT_DOUBLE_EQ(s.engine.triggers.atr_breakout.atr_multiple, 2.5);
  EXPECT_TRUE(s.engine.triggers.trend_filter.enabled);
  EXPECT_EQ(s.engine.triggers.trend_filter.granularity, "FIFTEEN_MINUTE");
  EXPECT_EQ(s.engine.regime_product, "ETH-USD");  // canonical, as traderd's triggers get it
  EXPECT_EQ(s.engine.regime_product, e.regime_product);
  EXPECT_EQ(s.engine.closes_kept, e.closes_kept);
  EXPECT_DOUBLE_EQ(s.engine.multipliers.chop, e.multipliers.chop);
}

TEST(BacktestSettings, StrategiesEnsembleAndCorrelationAreTraderdsToo) {
  const auto c = with_every_trigger();
  const auto s = backtest::settings_from(c);
  const auto sp = signals::strategy_params_from_config(c);
  ASSERT_EQ(s.strategies.size(), sp.size());
  for (std::size_t i = 0; i < sp.size(); ++i) {
    EXPECT_EQ(s.strategies[i].name, sp[i].name);
    EXPECT_EQ(s.strategies[i].kind, sp[i].kind);
    EXPECT_EQ(s.strategies[i].enabled, sp[i].enabled);
    EXPECT_DOUBLE_EQ(s.strategies[i].stop_loss_pct, sp[i].stop_loss_pct);
  }
  auto rsi = std::find_if(s.strategies.begin(), s.strategies.end(), [](const auto& x) { return x.name == "rsi_reversion"; });
  ASSERT_NE(rsi, s.strategies.end());
  EXPECT_TRUE(rsi->enabled);
  EXPECT_DOUBLE_EQ(rsi->stop_loss_pct, 4.0);
  EXPECT_TRUE(s.ensemble.enabled);
  EXPECT_DOUBLE_EQ(s.ensemble.min_confidence, 0.7);
  EXPECT_TRUE(s.correlation.enabled);
}

} // namespace
