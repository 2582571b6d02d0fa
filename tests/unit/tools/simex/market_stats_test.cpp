// simex's per-product trades and candles (market_stats): the tape keeps the newest
// max_trades prints, answers newest first within [start, end) up to a limit, and a minute's
// candle follows its prints.
#include "tools/simex/engine/market_stats.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::simex;

namespace {

constexpr ts_ns s = ns_per_s;
constexpr ts_ns t0 = 1'795'219'200LL * s;  // a minute boundary

trade_print print(int i, double px) {
  trade_print p;
  p.product_id = "BTC-USD";
  p.trade_id = "trade-number-" + std::to_string(i);  // longer than the short-string buffer
  p.px = price::from_double(px);
  p.qty = size::from_double(0.01);
  p.time = t0 + i * s;
  return p;
}

} // namespace

TEST(MarketStats, TheTapeKeepsTheNewestPrintsNewestFirst) {
  market_stats m;
  const int total = static_cast<int>(market_stats::max_trades) + 250;  // wraps the ring
  for (int i = 0; i < total; ++i)
    m.on_trade(print(i, 100 + i));
  auto all = m.trades(0, 0, 100'000);
  ASSERT_EQ(all.size(), market_stats::max_trades);
  for (std::size_t k = 0; k < all.size(); ++k)
    EXPECT_EQ(all[k]->trade_id, "trade-number-" + std::to_string(total - 1 - static_cast<int>(k))) << k;
  auto few = m.trades(0, 0, 3);
  ASSERT_EQ(few.size(), 3u);
  EXPECT_EQ(few[0]->trade_id, "trade-number-" + std::to_string(total - 1));
  // [start, end): prints 1000..1004 only.
  auto window = m.trades(t0 + 1000 * s, t0 + 1005 * s, 100);
  ASSERT_EQ(window.size(), 5u);
  EXPECT_EQ(window.front()->trade_id, "trade-number-1004");
  EXPECT_EQ(window.back()->trade_id, "trade-number-1000");
  EXPECT_EQ(m.last(), price::from_double(100 + total - 1));
}

TEST(MarketStats, AMinutesCandleFollowsItsPrintsAndALatePrintFindsItsMinute) {
  market_stats m;
  m.on_trade(print(0, 100));   // minute 0
  m.on_trade(print(10, 105));
  m.on_trade(print(20, 95));
  m.on_trade(print(61, 101));  // minute 1
  auto late = print(30, 110);  // back in minute 0
  m.on_trade(late);
  auto c = m.candles(t0 / s, t0 / s + 120, 60, 10);
  ASSERT_EQ(c.size(), 2u);  // newest first
  EXPECT_EQ(c[1].open, price::from_double(100));
  EXPECT_EQ(c[1].high, price::from_double(110));
  EXPECT_EQ(c[1].low, price::from_double(95));
  EXPECT_EQ(c[1].close, price::from_double(110));
  EXPECT_EQ(c[0].open, price::from_double(101));
}

// A copy continues on its own minutes (the minute of the last print is not shared).
TEST(MarketStats, ACopyUpdatesItsOwnCandles) {
  market_stats a;
  a.on_trade(print(0, 100));
  market_stats b = a;
  b.on_trade(print(1, 120));
  a.on_trade(print(2, 90));
  auto ca = a.candles(t0 / s, t0 / s + 60, 60, 1);
  auto cb = b.candles(t0 / s, t0 / s + 60, 60, 1);
  ASSERT_EQ(ca.size(), 1u);
  ASSERT_EQ(cb.size(), 1u);
  EXPECT_EQ(ca[0].high, price::from_double(100));
  EXPECT_EQ(ca[0].low, price::from_double(90));
  EXPECT_EQ(cb[0].high, price::from_double(120));
  EXPECT_EQ(cb[0].low, price::from_double(100));
  market_stats c;
  c = b;
  c.on_trade(print(3, 130));
  EXPECT_EQ(b.candles(t0 / s, t0 / s + 60, 60, 1)[0].high, price::from_double(120));
  EXPECT_EQ(c.candles(t0 / s, t0 / s + 60, 60, 1)[0].high, price::from_double(130));
}
