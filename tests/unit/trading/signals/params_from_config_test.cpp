// strategies.toml → the strategy framework (signal_params_from_config): a strategy table
// without `enabled` is off (new strategies default off, issue 14), and the ensemble's
// confidence threshold defaults to 80 %.

#include "actors/trading/signals/signal_params_from_config.hpp"
#include "actors/trading/signals/strategy.hpp"
#include "tests/unit/runtime/config/config_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace trader::signals {
namespace {

const strategy_params* find(const std::vector<strategy_params>& ps, const std::string& name) {
  auto it = std::find_if(ps.begin(), ps.end(), [&](const strategy_params& p) { return p.name == name; });
  return it == ps.end() ? nullptr : &*it;
}

TEST(StrategyConfig, ANewStrategyWithoutEnabledIsOffAndDoesNotRun) {
  auto r = config::testing::load_with({{"strategies.toml", "[strategies.fresh]\ntrigger = \"momentum\"\n"}});
  ASSERT_TRUE(r.ok()) << config::testing::dump(r);
  const auto ps = strategy_params_from_config(*r.config);
  const auto* fresh = find(ps, "fresh");
  ASSERT_NE(fresh, nullptr);
  EXPECT_FALSE(fresh->enabled);
  EXPECT_EQ(fresh->trigger, "momentum");
  const auto* breakout = find(ps, "breakout");  // shipped, switched on explicitly
  ASSERT_NE(breakout, nullptr);
  EXPECT_TRUE(breakout->enabled);
  EXPECT_EQ(strategy_registry(ps, ensemble_params_from_config(*r.config)).enabled(),
            std::vector<std::string>{"breakout"});
}

TEST(StrategyConfig, TheEnsembleNeedsEightyPercentConfidenceByDefault) {
  auto r = config::testing::load_with({});
  ASSERT_TRUE(r.ok()) << config::testing::dump(r);
  const auto e = ensemble_params_from_config(*r.config);
  EXPECT_FALSE(e.enabled);
  EXPECT_DOUBLE_EQ(e.min_confidence, 0.8);
  EXPECT_EQ(e.min_agreeing, 2);
}

} // namespace
} // namespace trader::signals
