// The order book's flat sides (price order, FIFO per level, reused levels) and the house
// order slots of the exchange (a ref names one order only, even after its slot is reused; the
// count of house orders takers used up).

#include "fixtures.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

using namespace trader;
using namespace trader::simex;
using namespace trader::simex::test;

namespace {

price p(std::int64_t cents) { return price::from_units(cents * 1'000'000); }
size q(std::int64_t n) { return size::from_int(n); }

std::vector<std::pair<price, size>> levels(const order_book& b, side s, std::size_t depth = 0) {
  std::vector<std::pair<price, size>> out;
  b.for_each_level(s, depth, [&](price at, size total) { out.emplace_back(at, total); });
  return out;
}

} // namespace

TEST(OrderBook, LevelsRunFromTheBestPriceWhateverTheOrderOfInsertion) {
  order_book b;
  for (std::int64_t c : {100, 98, 99, 97})
    b.add(side::buy, p(c), {static_cast<std::uint64_t>(c), q(1)});
  for (std::int64_t c : {103, 101, 102})
    b.add(side::sell, p(c), {static_cast<std::uint64_t>(c), q(2)});
  using lv = std::vector<std::pair<price, size>>;
  EXPECT_EQ(levels(b, side::buy), (lv{{p(100), q(1)}, {p(99), q(1)}, {p(98), q(1)}, {p(97), q(1)}}));
  EXPECT_EQ(levels(b, side::sell, 2), (lv{{p(101), q(2)}, {p(102), q(2)}}));
  EXPECT_EQ(b.best(side::buy), p(100));
  EXPECT_EQ(b.best(side::sell), p(101));
  EXPECT_EQ(b.level_count(side::buy), 4u);
  EXPECT_TRUE(b.crosses(side::buy, p(101)));
  EXPECT_FALSE(b.crosses(side::sell, p(101)));
}

TEST(OrderBook, LevelsAddedBeyondEitherEndOrBetweenKeepPriceOrder) {
  // A moving ladder adds beyond the best and the worst level (the ends are tried before the
  // search) and between levels; removes leave from both ends.
  order_book b;
  for (std::int64_t c : {100, 102, 98, 101, 97, 99})
    b.add(side::buy, p(c), {static_cast<std::uint64_t>(c), q(1)});
  for (std::int64_t c : {110, 108, 112, 109, 113, 111})
    b.add(side::sell, p(c), {static_cast<std::uint64_t>(c), q(1)});
  using lv = std::vector<std::pair<price, size>>;
  EXPECT_EQ(levels(b, side::buy),
            (lv{{p(102), q(1)}, {p(101), q(1)}, {p(100), q(1)}, {p(99), q(1)}, {p(98), q(1)}, {p(97), q(1)}}));
  EXPECT_EQ(levels(b, side::sell),
            (lv{{p(108), q(1)}, {p(109), q(1)}, {p(110), q(1)}, {p(111), q(1)}, {p(112), q(1)}, {p(113), q(1)}}));
  b.add(side::buy, p(97), {970, q(2)});   // joins the worst level's queue
  b.add(side::sell, p(108), {1080, q(2)});  // joins the best level's queue
  EXPECT_EQ(b.qty_at(side::buy, p(97)), q(3));
  EXPECT_EQ(b.qty_at(side::sell, p(108)), q(3));
  EXPECT_EQ(b.remove(side::buy, p(97), 97), q(1));     // the worst level, front of its queue
  EXPECT_EQ(b.remove(side::sell, p(113), 113), q(1));  // the worst ask
  EXPECT_EQ(b.remove(side::buy, p(100), 100), q(1));   // between
  EXPECT_EQ(levels(b, side::buy), (lv{{p(102), q(1)}, {p(101), q(1)}, {p(99), q(1)}, {p(98), q(1)}, {p(97), q(2)}}));
  EXPECT_EQ(levels(b, side::sell),
            (lv{{p(108), q(3)}, {p(109), q(1)}, {p(110), q(1)}, {p(111), q(1)}, {p(112), q(1)}}));
  EXPECT_EQ(b.qty_at(side::buy, p(96)), size{});   // beyond the worst
  EXPECT_EQ(b.qty_at(side::sell, p(107)), size{});  // beyond the best
}

TEST(OrderBook, AQueueIsFirstInFirstOutAndAnEmptiedLevelLeaves) {
  order_book b;
  b.add(side::sell, p(101), {1, q(2)});
  b.add(side::sell, p(101), {2, q(3)});
  b.add(side::sell, p(102), {3, q(4)});
  EXPECT_EQ(b.qty_at(side::sell, p(101)), q(5));
  price at;
  EXPECT_EQ(b.front(side::sell, at)->ref, 1u);
  b.consume_front(side::sell, q(2));  // order 1 is gone, 2 is next at the same price
  EXPECT_EQ(b.front(side::sell, at)->ref, 2u);
  EXPECT_EQ(at, p(101));
  EXPECT_EQ(b.remove(side::sell, p(101), 2), q(3));
  EXPECT_EQ(b.best(side::sell), p(102));
  EXPECT_EQ(b.level_count(side::sell), 1u);
  EXPECT_EQ(b.remove(side::sell, p(101), 2), size{});  // already gone
  EXPECT_EQ(b.remove(side::sell, p(102), 9), size{});  // not at that level
  EXPECT_EQ(b.qty_at(side::sell, p(102)), q(4));
}

TEST(OrderBook, AReusedLevelStartsEmptyAndLevelsKeepTheirPlaceAroundIt) {
  order_book b;
  for (std::int64_t c = 90; c <= 100; ++c)
    b.add(side::buy, p(c), {static_cast<std::uint64_t>(c), q(1)});
  b.set_qty(side::buy, p(95), 95, q(7));
  EXPECT_EQ(b.qty_at(side::buy, p(95)), q(7));
  for (std::int64_t c = 91; c <= 99; c += 2)  // every other level leaves
    b.remove(side::buy, p(c), static_cast<std::uint64_t>(c));
  b.add(side::buy, p(89), {89, q(3)});  // new levels take the emptied ones' queues
  b.add(side::buy, p(97), {970, q(4)});
  using lv = std::vector<std::pair<price, size>>;
  EXPECT_EQ(levels(b, side::buy), (lv{{p(100), q(1)},
                                      {p(98), q(1)},
                                      {p(97), q(4)},
                                      {p(96), q(1)},
                                      {p(94), q(1)},
                                      {p(92), q(1)},
                                      {p(90), q(1)},
                                      {p(89), q(3)}}));
  price at;
  b.remove(side::buy, p(100), 100);
  b.remove(side::buy, p(98), 98);
  const book_entry* e = b.front(side::buy, at);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->ref, 970u);  // only the new order rests at 97
  EXPECT_EQ(at, p(97));
  EXPECT_EQ(b.remove(side::buy, p(95), 95), size{});  // 95 left with the odd levels
}

TEST(HouseOrders, ARefNamesOneOrderEvenAfterItsSlotIsReused) {
  exchange ex;
  setup(ex);
  const auto a = ex.house_add("BTC-USD", side::buy, px("100.00"), q(1), t0);
  ASSERT_NE(a, 0u);
  EXPECT_EQ(ex.house_qty(a), q(1));
  ex.house_remove(a, t0);
  EXPECT_EQ(ex.house_qty(a), size{});
  const auto b = ex.house_add("BTC-USD", side::buy, px("100.00"), q(2), t0);
  ASSERT_NE(b, 0u);
  EXPECT_NE(a, b);
  EXPECT_EQ(ex.house_qty(a), size{});  // the old ref does not reach the new order
  ex.house_remove(a, t0);               // a no-op: b still rests
  EXPECT_EQ(ex.house_qty(b), q(2));
  EXPECT_EQ(ex.book("BTC-USD")->qty_at(side::buy, px("100.00")), q(2));
  EXPECT_EQ(ex.market_index("BTC-USD"), 0u);
  EXPECT_EQ(ex.market_index("NOPE-USD"), exchange::no_market);
  EXPECT_EQ(ex.house_add_at(exchange::no_market, side::buy, px("99.00"), q(1), t0), 0u);
  EXPECT_EQ(ex.house_used_up(0), 0u) << "a removed house order was not used up";
  // A house sell that crosses trades with b first; what is left rests, b is used up.
  const auto c = ex.house_add_at(0, side::sell, px("100.00"), q(3), t0);
  EXPECT_EQ(ex.house_qty(b), size{});
  EXPECT_EQ(ex.house_qty(c), q(1));
  EXPECT_EQ(ex.book("BTC-USD")->best(side::sell), px("100.00"));
  EXPECT_EQ(ex.house_used_up(0), 1u);
  // A taker that leaves part of c resting does not count; one that takes the rest does.
  const auto d = ex.house_add_at(0, side::sell, px("100.00"), q(4), t0);
  ASSERT_NE(d, 0u);
  ex.house_take_at(0, side::buy, size::from_double(0.5), t0);
  EXPECT_EQ(ex.house_used_up(0), 1u);
  ex.house_take_at(0, side::buy, size::from_double(0.5), t0);  // c (first in the queue) is used up
  EXPECT_EQ(ex.house_qty(c), size{});
  EXPECT_EQ(ex.house_used_up(0), 2u);
  EXPECT_EQ(ex.house_used_up(exchange::no_market), 0u);
}
