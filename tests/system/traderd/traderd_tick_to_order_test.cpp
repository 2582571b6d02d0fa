// Tick to order through the whole daemon (issue 16, docs/orders.md "Tick to order"):
// traderd LIVE against simex. An order not caused by a frame (debug.intent) records no
// tick_to_order sample; a protective exit caused by a ticker frame records exactly one, of
// path exit, when its POST is written — frame → market_data → risk → order_lifecycle →
// rate_limiter → orders. Nothing timed is asserted.
#include "tests/system/traderd/tick_to_order_fixture.hpp"

namespace {

using namespace std::chrono_literals;

class TraderdTickToOrderTest : public trader::test::tick_to_order_fixture {};

TEST_F(TraderdTickToOrderTest, AnExitCausedByAFrameRecordsOneSampleAnEntryByDebugIntentNone) {
  ASSERT_TRUE(start_trading());
  const auto samples0 = lifetime_count("tick_to_order");
  const auto exits0 = lifetime_count("tick_to_order:exit");
  const auto posts0 = lifetime_count("rest:POST /orders");

  trader::ts_ns since = 0;
  ASSERT_TRUE(buy(since));
  // The entry's POST was written (its own REST sample comes after any tick_to_order one).
  ASSERT_TRUE(trader::test::eventually([&] { return lifetime_count("rest:POST /orders") == posts0 + 1; }, 10s))
    << call("latency").dump();
  EXPECT_EQ(lifetime_count("tick_to_order"), samples0) << "debug.intent is not caused by a frame";

  ASSERT_TRUE(exit_by_ticker(since));
  ASSERT_TRUE(trader::test::eventually([&] { return lifetime_count("rest:POST /orders") == posts0 + 2; }, 10s))
    << call("latency").dump();
  EXPECT_EQ(lifetime_count("tick_to_order"), samples0 + 1);
  EXPECT_EQ(lifetime_count("tick_to_order:exit"), exits0 + 1);
  EXPECT_EQ(lifetime_count("tick_to_order:strategy"), 0u);
  EXPECT_GT(latency("tick_to_order").value("max_ms", 0.0), 0.0) << "a sample from the frame's read to the write";
  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait(60s).value_or(-1), 0) << daemon->err();
}

} // namespace
