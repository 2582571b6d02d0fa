// The order_rejection_burst rule: N exchange rejections within the window raise it once;
// it resolves when the window holds fewer than N.
#include "actors/trading/order_lifecycle/rejection_burst.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

TEST(RejectionBurst, RaisesOnceWhenThresholdRejectionsFallInTheWindow) {
  rejection_burst b{3, 60 * ns_per_s};
  EXPECT_EQ(b.on_rejection(0), rejection_burst::edge::none);
  EXPECT_EQ(b.on_rejection(10 * ns_per_s), rejection_burst::edge::none);
  EXPECT_EQ(b.on_rejection(20 * ns_per_s), rejection_burst::edge::raised);
  EXPECT_EQ(b.on_rejection(21 * ns_per_s), rejection_burst::edge::none);  // already raised
  EXPECT_TRUE(b.active());
}

TEST(RejectionBurst, RejectionsSpreadWiderThanTheWindowDoNotRaise) {
  rejection_burst b{3, 60 * ns_per_s};
  b.on_rejection(0);
  b.on_rejection(40 * ns_per_s);
  EXPECT_EQ(b.on_rejection(61 * ns_per_s), rejection_burst::edge::none);  // the first one left the window
  EXPECT_FALSE(b.active());
  EXPECT_EQ(b.in_window(), 2u);
}

TEST(RejectionBurst, ResolvesWhenTheWindowEmptiesBelowTheThreshold) {
  rejection_burst b{2, 60 * ns_per_s};
  b.on_rejection(0);
  ASSERT_EQ(b.on_rejection(ns_per_s), rejection_burst::edge::raised);
  EXPECT_EQ(b.on_time(30 * ns_per_s), rejection_burst::edge::none);
  EXPECT_EQ(b.on_time(60 * ns_per_s), rejection_burst::edge::resolved);
  EXPECT_FALSE(b.active());
  EXPECT_EQ(b.on_time(120 * ns_per_s), rejection_burst::edge::none);
}
