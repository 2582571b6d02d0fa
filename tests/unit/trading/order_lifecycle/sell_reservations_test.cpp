// Sells never exceed the position (sell_reservations.hpp): the soak's double exit, a sell
// awaiting its fills after FILLED, a cut, a refusal, a quote-sized sell working, buys.
#include "actors/trading/order_lifecycle/sell_reservations.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

size sz(double v) { return size::from_double(v); }
const product_id eth{"ETH-USD"};

order_intent sell(double base) {
  order_intent in;
  in.product = eth;
  in.dir = side::sell;
  in.base_size = sz(base);
  in.reduce_only = true;
  return in;
}

} // namespace

// The chaos soak's finding: a reduce-only sell of the whole position is working when the stop
// loss sells the whole position again. The second has nothing left.
TEST(SellReservations, ASecondExitOfTheSamePositionIsRefusedWhileTheFirstWorks) {
  sell_reservations r;
  auto first = sell(0.01730394);
  EXPECT_EQ(limit_sell(first, sz(0.01730394), r.of(eth), nullptr), "");
  r.open("t-11", eth, first.base_size);
  auto stop = sell(0.01730394);
  auto why = limit_sell(stop, sz(0.01730394), r.of(eth), nullptr);
  EXPECT_EQ(why.rfind("SELL_EXCEEDS_POSITION: nothing left to sell product=ETH-USD", 0), 0u) << why;
  EXPECT_NE(why.find("pending_sells=0.01730394"), std::string::npos) << why;
}

TEST(SellReservations, AFilledSellReservesUntilItsFillsAreBooked) {
  sell_reservations r;
  r.open("a", eth, sz(1));
  r.finished("a", sz(1));  // FILLED came before the fill
  EXPECT_EQ(r.of(eth).reserved, sz(1));
  r.booked("a", sz(0.4));
  EXPECT_EQ(r.of(eth).reserved, sz(0.6));
  r.booked("a", sz(0.6));
  EXPECT_EQ(r.of(eth).reserved, sz(0));
  EXPECT_EQ(r.tracked(), 0u);
}

TEST(SellReservations, ACancelledSellReleasesItsUnfilledPart) {
  sell_reservations r;
  r.open("a", eth, sz(1));
  r.booked("a", sz(0.25));  // partly filled, booked
  EXPECT_EQ(r.of(eth).reserved, sz(0.75));
  r.finished("a", sz(0.25));  // cancelled with 0.25 filled, all booked
  EXPECT_EQ(r.of(eth).reserved, sz(0));
  EXPECT_EQ(r.tracked(), 0u);
}

TEST(SellReservations, ASellLargerThanWhatIsLeftIsCutToIt) {
  sell_reservations r;
  r.open("a", eth, sz(0.3));
  auto in = sell(1);
  bool cut = false;
  EXPECT_EQ(limit_sell(in, sz(1), r.of(eth), &cut), "");
  EXPECT_TRUE(cut);
  EXPECT_EQ(in.base_size, sz(0.7));
  auto small = sell(0.5);
  EXPECT_EQ(limit_sell(small, sz(1), r.of(eth), &cut), "");
  EXPECT_FALSE(cut);
  EXPECT_EQ(small.base_size, sz(0.5));
}

TEST(SellReservations, WithoutAPositionASellIsRefusedAndABuyPasses) {
  sell_reservations r;
  auto in = sell(0.1);
  EXPECT_NE(limit_sell(in, sz(0), r.of(eth), nullptr), "");
  order_intent buy;
  buy.product = eth;
  buy.dir = side::buy;
  buy.base_size = sz(5);
  EXPECT_EQ(limit_sell(buy, sz(0), r.of(eth), nullptr), "");
  EXPECT_EQ(buy.base_size, sz(5));
}

TEST(SellReservations, AQuoteSizedSellWorkingBlocksOtherSellsOfItsProductOnly) {
  sell_reservations r;
  r.open("q", eth, size{});  // sized in quote: base unknown
  auto in = sell(0.1);
  auto why = limit_sell(in, sz(1), r.of(eth), nullptr);
  EXPECT_NE(why.find("sized in quote"), std::string::npos) << why;
  const product_id btc{"BTC-USD"};
  auto other = sell(0.1);
  other.product = btc;
  EXPECT_EQ(limit_sell(other, sz(1), r.of(btc), nullptr), "");
  r.finished("q", sz(0.2));  // it filled 0.2: that waits for its fills, the block ends
  EXPECT_FALSE(r.of(eth).unsized);
  EXPECT_EQ(r.of(eth).reserved, sz(0.2));
}
