// Trade ids booked within the last hour (recent_trades.hpp): what the reconcile's ten-minute
// re-read needs after the ledger's bounded memory has forgotten a folded fill.
#include "actors/trading/order_lifecycle/recent_trades.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace trader;
using namespace trader::order_lifecycle;

TEST(RecentTrades, KeepsAnHourOfExchangeTimeAndForgetsWhatIsOlder) {
  recent_trades r;
  const ts_ns t0 = 1'780'000'000 * ns_per_s;
  for (int i = 0; i < 5'000; ++i)  // the tick-to-order bench's pace: far beyond the ledger's 256
    r.add(trade_id{"t" + std::to_string(i)}, t0 + i * (ns_per_s / 10));
  EXPECT_TRUE(r.contains(trade_id{"t0"}));  // 500 s of fills: all within the hour
  EXPECT_EQ(r.size(), 5'000u);
  r.add(trade_id{"late"}, t0 + 3601 * ns_per_s);
  EXPECT_FALSE(r.contains(trade_id{"t0"}));
  EXPECT_TRUE(r.contains(trade_id{"t4999"}));
  EXPECT_TRUE(r.contains(trade_id{"late"}));
}

TEST(RecentTrades, ADuplicateOrAnEmptyIdAddsNothing) {
  recent_trades r;
  r.add(trade_id{"a"}, 10);
  r.add(trade_id{"a"}, 20);
  r.add(trade_id{""}, 30);
  EXPECT_EQ(r.size(), 1u);
  EXPECT_FALSE(r.contains(trade_id{""}));
}
