// refresh_plan: the products catalogue is refreshed every period while all is well, sooner
// (full-jitter backoff, never later than the period) after a failure or while the status
// channel says something the catalogue has not listed yet.
#include "actors/exchange/products/refresh_plan.hpp"

#include <gtest/gtest.h>

namespace trader::products {
namespace {

using namespace std::chrono_literals;

product_info product(const char* id, product_state s) {
  product_info p;
  p.product = product_id{id};
  p.state = s;
  return p;
}

product_cache cache_with(product_state btc) {
  product_cache c;
  c.replace({product("BTC-USD", btc), product("ETH-USD", product_state::online)}, 1);
  return c;
}

/// Jitter at the top of the window.
refresh_plan plan(int rechecks = 5) {
  return refresh_plan(300s, exchange::retry_policy{1 << 30, 1000ms, 8000ms}, rechecks, [] { return 1.0; });
}

TEST(RefreshPlan, AllWellMeansThePeriod) {
  auto p = plan();
  auto n = p.after_refresh(true, cache_with(product_state::online));
  EXPECT_FALSE(n.retry);
  EXPECT_EQ(n.delay, 300s);
}

TEST(RefreshPlan, FailedRefreshIsRetriedOnAGrowingBackoffThenThePeriodAgain) {
  auto p = plan();
  auto c = cache_with(product_state::online);
  std::vector<std::int64_t> delays;
  for (int i = 0; i < 5; ++i) {
    auto n = p.after_refresh(false, c);
    EXPECT_TRUE(n.retry);
    EXPECT_EQ(n.why, "refresh failed");
    delays.push_back(n.delay.count());
  }
  EXPECT_EQ(delays, (std::vector<std::int64_t>{1000, 2000, 4000, 8000, 8000}));
  EXPECT_EQ(p.after_refresh(true, c).delay, 300s);
  EXPECT_EQ(p.after_refresh(false, c).delay, 1000ms);  // a new failure starts from the base
}

TEST(RefreshPlan, StatusChangeTheCatalogueAgreesWithNeedsNoRefresh) {
  auto p = plan();
  EXPECT_FALSE(p.hint(product_id{"BTC-USD"}, product_state::online, cache_with(product_state::online)));
  EXPECT_EQ(p.unconfirmed(), 0u);
}

TEST(RefreshPlan, StatusFlipIsRecheckedUntilTheCatalogueListsIt) {
  auto p = plan();
  auto degraded = cache_with(product_state::cancel_only);
  ASSERT_TRUE(p.hint(product_id{"BTC-USD"}, product_state::online, degraded));  // back online per the channel
  auto lagging = p.after_refresh(true, degraded);  // REST still says cancel_only
  EXPECT_TRUE(lagging.retry);
  EXPECT_EQ(lagging.delay, 1000ms);
  EXPECT_NE(lagging.why.find("BTC-USD"), std::string::npos);
  auto caught_up = p.after_refresh(true, cache_with(product_state::online));
  EXPECT_FALSE(caught_up.retry);
  EXPECT_EQ(p.unconfirmed(), 0u);
}

TEST(RefreshPlan, TheCatalogueWinsAfterTheLastRecheck) {
  auto p = plan(2);
  auto degraded = cache_with(product_state::cancel_only);
  p.hint(product_id{"BTC-USD"}, product_state::online, degraded);
  EXPECT_TRUE(p.after_refresh(true, degraded).retry);
  EXPECT_TRUE(p.after_refresh(true, degraded).retry);
  auto n = p.after_refresh(true, degraded);
  EXPECT_FALSE(n.retry);
  EXPECT_EQ(n.delay, 300s);
  EXPECT_EQ(p.unconfirmed(), 0u);
}

TEST(RefreshPlan, NeverLaterThanThePeriod) {
  refresh_plan p(2s, exchange::retry_policy{1 << 30, 1000ms, 60000ms}, 5, [] { return 1.0; });
  auto c = cache_with(product_state::online);
  p.after_refresh(false, c);
  p.after_refresh(false, c);
  EXPECT_EQ(p.after_refresh(false, c).delay, 2s);
}

} // namespace
} // namespace trader::products
