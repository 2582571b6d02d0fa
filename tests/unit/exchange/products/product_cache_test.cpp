// The products cache reports status changes and the degraded set.
#include "actors/exchange/products/product_cache.hpp"

#include <gtest/gtest.h>

using namespace trader;
using trader::products::product_cache;

namespace {

product_info product(const char* id, product_state s) {
  product_info p;
  p.product = product_id{id};
  p.state = s;
  return p;
}

} // namespace

TEST(ProductCache, FirstLoadReportsOnlyNonOnlineProducts) {
  product_cache c;
  auto u = c.replace({product("BTC-USD", product_state::online), product("ETH-USD", product_state::cancel_only)}, 1);
  ASSERT_EQ(u.changed.size(), 1u);
  EXPECT_EQ(u.changed[0].product.value, "ETH-USD");
  EXPECT_TRUE(u.degraded_changed);
  EXPECT_EQ(c.degraded_text(), "ETH-USD=cancel_only");
}

TEST(ProductCache, ReportsChangesBothWaysAndVanishedProducts) {
  product_cache c;
  c.replace({product("BTC-USD", product_state::online), product("ETH-USD", product_state::online)}, 1);
  EXPECT_FALSE(c.any_degraded());
  auto down = c.replace({product("BTC-USD", product_state::offline), product("ETH-USD", product_state::online)}, 2);
  ASSERT_EQ(down.changed.size(), 1u);
  EXPECT_EQ(down.changed[0].state, product_state::offline);
  EXPECT_TRUE(down.degraded_changed);
  auto same = c.replace({product("BTC-USD", product_state::offline), product("ETH-USD", product_state::online)}, 3);
  EXPECT_TRUE(same.changed.empty());
  EXPECT_FALSE(same.degraded_changed);
  auto up = c.replace({product("BTC-USD", product_state::online), product("ETH-USD", product_state::online)}, 4);
  EXPECT_EQ(up.changed.size(), 1u);
  EXPECT_TRUE(up.degraded_changed);
  EXPECT_FALSE(c.any_degraded());
  auto gone = c.replace({product("BTC-USD", product_state::online)}, 5);
  ASSERT_EQ(gone.changed.size(), 1u);
  EXPECT_EQ(gone.changed[0].product.value, "ETH-USD");
  EXPECT_EQ(gone.changed[0].state, product_state::offline);
}
