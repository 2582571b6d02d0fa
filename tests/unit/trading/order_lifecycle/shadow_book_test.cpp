// Shadow mode's pairing of intended (simulator) and actual (venue) fills per order.
#include "actors/trading/order_lifecycle/shadow_book.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {
constexpr ts_ns s = ns_per_s;
client_order_id cid(const char* x) { return client_order_id{x}; }
price px(double v) { return price::from_double(v); }
size qty(double v) { return size::from_double(v); }
} // namespace

TEST(ShadowBook, ABuyFilledHigherThanIntendedHasPositiveSlippage) {
  shadow_book b;
  b.on_sent(cid("a"), product_id{"BTC-USD"}, side::buy, qty(1), 10 * s);
  b.on_intended_fill(cid("a"), px(100), qty(1), 11 * s);
  b.on_actual_fill(cid("a"), px(100.5), qty(0.5), 12 * s);
  b.on_actual_fill(cid("a"), px(101.5), qty(0.5), 13 * s);
  auto* o = b.find(cid("a"));
  ASSERT_NE(o, nullptr);
  EXPECT_DOUBLE_EQ(o->actual.avg(), 101.0);
  EXPECT_NEAR(o->slippage_bps(), 100.0, 1e-9);  // 1 % worse
  auto sum = b.summary();
  EXPECT_EQ(sum.compared, 1u);
  EXPECT_NEAR(sum.delay_ms_median, 1000.0, 1e-9);
  EXPECT_NEAR(sum.size_ratio_mean, 1.0, 1e-12);
}

TEST(ShadowBook, ASellFilledHigherThanIntendedHasNegativeSlippage) {
  shadow_book b;
  b.on_sent(cid("a"), product_id{"BTC-USD"}, side::sell, qty(1), 0);
  b.on_intended_fill(cid("a"), px(100), qty(1), s);
  b.on_actual_fill(cid("a"), px(101), qty(1), s);
  EXPECT_NEAR(b.find(cid("a"))->slippage_bps(), -100.0, 1e-9);  // received more: better
}

TEST(ShadowBook, OrdersFilledOnOneSideOnlyAreCountedNotCompared) {
  shadow_book b;
  b.on_sent(cid("a"), product_id{"BTC-USD"}, side::buy, qty(1), 0);
  b.on_sent(cid("b"), product_id{"BTC-USD"}, side::buy, qty(1), 0);
  b.on_intended_fill(cid("a"), px(100), qty(1), s);
  b.on_actual_fill(cid("b"), px(100), qty(0.4), s);
  b.on_actual_fill(cid("unknown"), px(100), qty(1), s);  // never sent: ignored
  auto sum = b.summary();
  EXPECT_EQ(sum.orders, 2u);
  EXPECT_EQ(sum.compared, 0u);
  EXPECT_EQ(sum.only_intended, 1u);
  EXPECT_EQ(sum.only_actual, 1u);
}

TEST(ShadowBook, AHalfFilledVenueOrderHasASizeRatioOfAHalf) {
  shadow_book b;
  b.on_sent(cid("a"), product_id{"BTC-USD"}, side::buy, qty(1), 0);
  b.on_intended_fill(cid("a"), px(100), qty(1), s);
  b.on_actual_fill(cid("a"), px(100), qty(0.5), 2 * s);
  EXPECT_NEAR(b.summary().size_ratio_mean, 0.5, 1e-12);
}

TEST(ShadowBook, TheBoundDropsTheOldestOrders) {
  shadow_book b{2};
  b.on_sent(cid("a"), product_id{"X"}, side::buy, qty(1), 0);
  b.on_sent(cid("b"), product_id{"X"}, side::buy, qty(1), 0);
  b.on_sent(cid("c"), product_id{"X"}, side::buy, qty(1), 0);
  EXPECT_EQ(b.find(cid("a")), nullptr);
  ASSERT_EQ(b.orders().size(), 2u);
  EXPECT_EQ(b.orders().back().id.value, "c");
}
