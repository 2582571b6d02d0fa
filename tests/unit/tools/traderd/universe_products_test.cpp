// Which products market data streams: the universe's tiers less the red flags, canonical.

#include "tools/traderd/universe_products.hpp"

#include "runtime/config/trader_config.hpp"

#include <gtest/gtest.h>

using namespace trader;

namespace {

std::vector<std::string> ids(const std::vector<product_id>& ps) {
  std::vector<std::string> out;
  for (auto& p : ps)
    out.push_back(p.value);
  return out;
}

TEST(StreamedProducts, CoreThenRotationalInCanonicalSpellingWithoutDuplicates) {
  config::trader_config cfg;
  cfg.tiers.core = {"btc-usd", "ETH/USD"};
  cfg.tiers.rotational = {"SOL_USD", "BTC-USD", "xbt-usd"};
  EXPECT_EQ(ids(daemon::streamed_products(cfg)), (std::vector<std::string>{"BTC-USD", "ETH-USD", "SOL-USD"}));
}

TEST(StreamedProducts, RedFlaggedProductsAreNotStreamedHoweverSpelled) {
  config::trader_config cfg;
  cfg.tiers.core = {"BTC-USD"};
  cfg.tiers.rotational = {"DOGE-USD", "SOL-USD"};
  cfg.red_flags.excluded_symbols = {"doge/usd"};
  EXPECT_EQ(ids(daemon::streamed_products(cfg)), (std::vector<std::string>{"BTC-USD", "SOL-USD"}));
}

TEST(StreamedProducts, UnparseableEntriesAreSkippedAndNamed) {
  config::trader_config cfg;
  cfg.tiers.core = {"BTC-USD", "BTCXYZ"};
  cfg.tiers.rotational = {};
  std::vector<std::string> problems;
  EXPECT_EQ(ids(daemon::streamed_products(cfg, &problems)), (std::vector<std::string>{"BTC-USD"}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("BTCXYZ"), std::string::npos);
}

} // namespace
