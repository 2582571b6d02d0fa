// The ledger, a test per rule: partial fills, several entries, reduce and close, fees in
// quote and in base, size_in_quote fills, UTC day and ISO week buckets, dedupe, out-of-order
// streams, NAV and its high-water mark.
#include "actors/trading/order_lifecycle/ledger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

constexpr ts_ns s = ns_per_s;
// 2026-11-21T00:00:00Z, a Saturday.
constexpr ts_ns nov21 = 1'795'219'200LL * s;
constexpr ts_ns day = 86'400 * s;

price px(double v) { return price::from_double(v); }
size sz(double v) { return size::from_double(v); }
notional usd(double v) { return notional::from_double(v); }

ledger_fill make(const char* trade, side dir, double p, double q, double fee, ts_ns t, const char* product = "BTC-USD") {
  ledger_fill f;
  f.trade = trade_id{trade};
  f.order = client_order_id{"t-1-b-btcusd-x"};
  f.product = product_id{product};
  f.dir = dir;
  f.px = px(p);
  f.qty = sz(q);
  f.fee = usd(fee);
  f.ts_event = t;
  return f;
}
ledger_fill buy(const char* trade, double p, double q, double fee = 0, ts_ns t = nov21) {
  return make(trade, side::buy, p, q, fee, t);
}
ledger_fill sell(const char* trade, double p, double q, double fee = 0, ts_ns t = nov21) {
  return make(trade, side::sell, p, q, fee, t);
}
const position& pos(const ledger& l, const char* product = "BTC-USD") {
  static const position none;
  auto* p = l.find(product_id{product});
  return p ? *p : none;
}

} // namespace

TEST(Ledger, PartialFillsOfOneOrderAddUp) {
  ledger l;
  l.apply(buy("t1", 100, 0.3, 0.12, nov21));
  l.apply(buy("t2", 100, 0.7, 0.28, nov21 + s));
  EXPECT_EQ(pos(l).qty, sz(1));
  EXPECT_EQ(pos(l).avg_entry(), px(100));
  EXPECT_EQ(pos(l).entry_fees, usd(0.4));
  EXPECT_EQ(l.total().fills, 2);
  EXPECT_EQ(l.total().realized, usd(0));
}

TEST(Ledger, SeveralEntriesGiveTheWeightedAverage) {
  ledger l;
  l.apply(buy("t1", 100, 1, 0, nov21));
  l.apply(buy("t2", 110, 3, 0, nov21 + s));
  EXPECT_EQ(pos(l).qty, sz(4));
  EXPECT_EQ(pos(l).avg_entry(), px(107.5));
  EXPECT_EQ(pos(l).cost, usd(430));
}

TEST(Ledger, ReduceRealizesNetOfExitAndProportionalEntryFees) {
  ledger l;
  l.apply(buy("t1", 100, 1, 0.4, nov21));
  l.apply(buy("t2", 110, 1, 0.44, nov21 + s));
  auto r = l.apply(sell("t3", 120, 0.5, 0.3, nov21 + 2 * s));
  // gross (120 - 105) × 0.5 = 7.5; entry fees 0.84 × 0.5/2 = 0.21; exit fee 0.3.
  EXPECT_EQ(r.realized, usd(6.99));
  EXPECT_EQ(pos(l).qty, sz(1.5));
  EXPECT_EQ(pos(l).avg_entry(), px(105));  // a reduce keeps the average
  EXPECT_EQ(pos(l).entry_fees, usd(0.63));
  EXPECT_EQ(pos(l).realized, usd(6.99));
}

TEST(Ledger, CloseRealizesTheRestAndLeavesTheProductFlat) {
  ledger l;
  l.apply(buy("t1", 100, 1, 0.4, nov21));
  l.apply(buy("t2", 110, 1, 0.44, nov21 + s));
  l.apply(sell("t3", 120, 0.5, 0.3, nov21 + 2 * s));
  auto r = l.apply(sell("t4", 90, 1.5, 0.54, nov21 + 3 * s));
  // gross (90 - 105) × 1.5 = -22.5; the remaining entry fees 0.63; exit fee 0.54.
  EXPECT_EQ(r.realized, usd(-23.67));
  EXPECT_TRUE(pos(l).flat());
  EXPECT_EQ(pos(l).cost, usd(0));
  EXPECT_EQ(pos(l).entry_fees, usd(0));
  EXPECT_EQ(pos(l).avg_entry(), px(0));
  EXPECT_EQ(pos(l).realized, usd(-16.68));
  EXPECT_EQ(pos(l).fees, usd(1.68));
  // Realized over a round trip equals the cash it moved.
  EXPECT_EQ(l.total().realized, usd(-16.68));
  EXPECT_EQ(l.cash(), usd(-16.68));
}

TEST(Ledger, FeesInQuoteAreCountedInBucketsAndCash) {
  ledger l;
  l.set_cash(usd(1000));
  l.apply(buy("t1", 100, 2, 1.2, nov21));
  EXPECT_EQ(l.cash(), usd(1000 - 200 - 1.2));
  EXPECT_EQ(l.total().fees, usd(1.2));
  EXPECT_EQ(l.total().realized, usd(0));  // entry fees are realized as the position is reduced
  l.apply(sell("t2", 100, 2, 1.2, nov21 + s));
  EXPECT_EQ(l.total().realized, usd(-2.4));
  EXPECT_EQ(l.cash(), usd(1000 - 2.4));
}

TEST(Ledger, FeeInBaseReducesTheCoinsBoughtAndCountsAtFillPrice) {
  ledger l;
  auto f = buy("t1", 100, 1, 0, nov21);
  f.fee_base = sz(0.01);
  l.apply(f);
  EXPECT_EQ(pos(l).qty, sz(0.99));           // coins actually received
  EXPECT_EQ(pos(l).cost, usd(99));           // 0.99 coins at 100 ...
  EXPECT_EQ(pos(l).entry_fees, usd(1));      // ... plus the 0.01 coin fee worth 1
  EXPECT_EQ(l.cash(), usd(-100));            // the exchange debited 100 quote
  auto r = l.apply(sell("t2", 100, 0.99, 0, nov21 + s));
  EXPECT_EQ(r.realized, usd(-1));            // the base fee, realized on close
  EXPECT_TRUE(pos(l).flat());
}

TEST(Ledger, FeeInBaseOnASellTakesMoreCoins) {
  ledger l;
  l.apply(buy("t1", 100, 1, 0, nov21));
  auto f = sell("t2", 110, 0.5, 0, nov21 + s);
  f.fee_base = sz(0.01);
  auto r = l.apply(f);
  EXPECT_EQ(pos(l).qty, sz(0.49));
  // 0.51 coins of cost 100 leave; 0.5 sold at 110, 0.01 paid as fee: 55 - 51 = 4.
  EXPECT_EQ(r.realized, usd(4));
  EXPECT_EQ(l.cash(), usd(-100 + 55));
}

TEST(Ledger, SizeInQuoteFillsAreConvertedNeverBookedAsCoins) {
  ledger l;
  auto f = buy("t1", 50'000, 1000, 6, nov21);  // $1000 of BTC by quote size, as Coinbase reports it
  f.size_in_quote = true;
  auto r = l.apply(f);
  ASSERT_EQ(r.outcome, apply_outcome::applied);
  EXPECT_EQ(pos(l).qty, sz(0.02));
  EXPECT_EQ(pos(l).cost, usd(1000));
  EXPECT_EQ(l.cash(), usd(-1006));
  EXPECT_EQ(base_size_of(f), sz(0.02));
}

TEST(Ledger, SizeInQuoteRoundsTheBaseToTheNearestUnit) {
  auto f = buy("t1", 30'000, 10, 0, nov21);
  f.size_in_quote = true;
  EXPECT_EQ(base_size_of(f), size::from_units(33'333));  // 0.000333333… BTC
}

// The soak's rounding drift, with the numbers an exchange sends: 0.00262002 ETH bought at
// 1897.53 is reported as quote 4.97156655 (price × size rounded to 1e-8). Truncating the
// quotient booked 0.00262001, one unit short of the coins the exchange credited.
TEST(Ledger, SizeInQuoteRecoversTheExchangesBaseFromItsRoundedQuote) {
  ledger l;
  auto f = make("t1", side::buy, 1897.53, 4.97156655, 0.04474410, nov21, "ETH-USD");
  f.size_in_quote = true;
  ASSERT_EQ(l.apply(f).outcome, apply_outcome::applied);
  EXPECT_EQ(l.find(product_id{"ETH-USD"})->qty, sz(0.00262002));
  EXPECT_EQ(l.cash(), usd(-4.97156655 - 0.04474410));  // cash moves by the quote as reported
}

TEST(Ledger, SizeInQuoteTakesTheBaseTheExchangeReported) {
  ledger l;
  auto f = make("t1", side::buy, 1897.53, 4.97156655, 0, nov21, "ETH-USD");
  f.size_in_quote = true;
  f.base_reported = sz(0.00262003);  // the exchange's own figure wins over any quotient
  ASSERT_EQ(l.apply(f).outcome, apply_outcome::applied);
  EXPECT_EQ(l.find(product_id{"ETH-USD"})->qty, sz(0.00262003));
  EXPECT_EQ(l.cash(), usd(-4.97156655));
}

TEST(Ledger, SizeInQuoteRoundsToTheProductsBaseIncrement) {
  // 64.3 DOGE at 0.07777777 is quote 5.00111061; the quotient is 64.29999998…
  auto f = make("t1", side::buy, 0.07777777, 5.00111061, 0, nov21, "DOGE-USD");
  f.size_in_quote = true;
  EXPECT_EQ(base_size_of(f), sz(64.29999999));
  f.base_increment = sz(0.1);
  EXPECT_EQ(base_size_of(f), sz(64.3));
}

TEST(Ledger, RealizedPnlLandsInTheUtcDayOfTheFill) {
  ledger l;
  l.apply(buy("t1", 100, 2, 0, nov21 - 10 * s));
  l.apply(sell("t2", 110, 1, 0, nov21 - 1));  // 23:59:59.999999999 on Nov 20
  l.apply(sell("t3", 120, 1, 0, nov21));      // 00:00 on Nov 21
  EXPECT_EQ(l.day(nov21 - 1).realized, usd(10));
  EXPECT_EQ(l.day(nov21 - 1).fills, 2);
  EXPECT_EQ(l.day(nov21).realized, usd(20));
  EXPECT_EQ(l.day(nov21).fills, 1);
  EXPECT_EQ(l.total().realized, usd(30));
}

TEST(Ledger, RealizedPnlLandsInTheIsoWeekOfTheFill) {
  ledger l;
  const ts_ns monday = nov21 + 2 * day;  // 2026-11-23, week 48 starts
  l.apply(buy("t1", 100, 2, 0, monday - 60 * s));
  l.apply(sell("t2", 105, 1, 0, monday - 1));
  l.apply(sell("t3", 95, 1, 0, monday));
  EXPECT_EQ(l.week(monday - 1).realized, usd(5));
  EXPECT_EQ(l.week(monday).realized, usd(-5));
  EXPECT_EQ(l.buckets().count("week/2026-W47"), 1u);
  EXPECT_EQ(l.buckets().count("week/2026-W48"), 1u);
  EXPECT_EQ(l.total().realized, usd(0));
}

TEST(Ledger, DuplicateTradeIdIsBookedOnce) {
  ledger l;
  EXPECT_EQ(l.apply(buy("t1", 100, 1, 0.5)).outcome, apply_outcome::applied);
  EXPECT_EQ(l.apply(buy("t1", 100, 1, 0.5)).outcome, apply_outcome::duplicate);
  EXPECT_EQ(pos(l).qty, sz(1));
  EXPECT_EQ(l.total().fills, 1);
  EXPECT_EQ(l.cash(), usd(-100.5));
  EXPECT_TRUE(l.seen(trade_id{"t1"}));
}

TEST(Ledger, DuplicatedAndOutOfOrderStreamEndsWhereTheCleanOneDoes) {
  std::vector<ledger_fill> clean;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> price_step(-2, 2), qty(0.01, 1);
  double p = 100;
  for (int i = 0; i < 300; ++i) {
    p += price_step(rng);
    const bool is_buy = i % 3 != 2 || i < 3;
    auto f = make(("t" + std::to_string(i)).c_str(), is_buy ? side::buy : side::sell, p, qty(rng), 0.01 * p,
                  nov21 - 3600 * s + i * 37 * s, i % 2 ? "BTC-USD" : "ETH-USD");
    clean.push_back(f);
  }
  ledger_options o;
  o.reorder_window_ns = 4 * 3600 * s;  // the stream spans ≈ 3 h; a shuffle moves fills across all of it
  ledger a{o};
  for (const auto& f : clean)
    a.apply(f);

  auto messy = clean;
  for (int i = 0; i < 100; ++i)
    messy.push_back(clean[static_cast<std::size_t>(rng() % clean.size())]);  // replays
  std::shuffle(messy.begin(), messy.end(), rng);
  ledger b{o};
  int reordered = 0, duplicates = 0;
  for (const auto& f : messy) {
    auto r = b.apply(f);
    reordered += r.reordered;
    duplicates += r.outcome == apply_outcome::duplicate;
    EXPECT_FALSE(r.beyond_window);
  }
  EXPECT_GT(reordered, 0);
  EXPECT_EQ(duplicates, 100);
  EXPECT_EQ(b.positions(), a.positions());
  EXPECT_EQ(b.buckets(), a.buckets());
  EXPECT_EQ(b.cash(), a.cash());
}

TEST(Ledger, OutOfOrderFillIsSlottedInByExchangeTime) {
  ledger l;
  l.apply(buy("t1", 100, 1, 0, nov21));
  auto r = l.apply(sell("t3", 120, 1, 0, nov21 + 20 * s));  // arrives before t2
  EXPECT_EQ(r.realized, usd(20));
  auto late = l.apply(buy("t2", 110, 1, 0, nov21 + 10 * s));
  EXPECT_TRUE(late.reordered);
  // Replayed: avg (100 + 110) / 2 = 105, the sell realizes 15, one coin left at 105.
  EXPECT_EQ(pos(l).qty, sz(1));
  EXPECT_EQ(pos(l).avg_entry(), px(105));
  EXPECT_EQ(l.total().realized, usd(15));
  // t3 realized 20 when booked; the replay restates it to 15.
  ASSERT_EQ(late.restated.size(), 1u);
  EXPECT_EQ(late.restated[0].first, nov21 + 20 * s);
  EXPECT_EQ(late.restated[0].second, usd(-5));
  EXPECT_EQ(late.realized, usd(0));  // the late buy itself realizes nothing
}

TEST(Ledger, FillOlderThanTheWindowIsBookedAtTheEndAndReported) {
  ledger_options o;
  o.reorder_window_ns = 60 * s;
  ledger l{o};
  l.apply(buy("t1", 100, 1, 0, nov21));
  l.apply(buy("t2", 100, 1, 0, nov21 + 120 * s));  // folds t1
  l.apply(buy("t3", 100, 1, 0, nov21 + 240 * s));  // folds t2
  auto r = l.apply(sell("t0", 110, 1, 0, nov21 + 10 * s));
  EXPECT_TRUE(r.beyond_window);
  EXPECT_EQ(r.realized, usd(10));
  EXPECT_EQ(pos(l).qty, sz(2));
  EXPECT_TRUE(l.seen(trade_id{"t1"}));  // folded ids still dedupe
  EXPECT_EQ(l.apply(buy("t1", 100, 1, 0, nov21)).outcome, apply_outcome::duplicate);
}

TEST(Ledger, SellBeyondTheHeldSizeFlipsTheRestAtTheFillPrice) {
  ledger l;
  l.apply(buy("t1", 100, 1, 1, nov21));
  auto r = l.apply(sell("t2", 110, 3, 3, nov21 + s));
  // Closes 1 (gross 10, entry fee 1, a third of the exit fee 1) and opens -2 at 110.
  EXPECT_EQ(r.realized, usd(8));
  EXPECT_EQ(pos(l).qty, sz(-2));
  EXPECT_EQ(pos(l).avg_entry(), px(110));
  EXPECT_EQ(pos(l).entry_fees, usd(2));
  auto c = l.apply(buy("t3", 100, 2, 0, nov21 + 2 * s));
  EXPECT_EQ(c.realized, usd(20 - 2));
  EXPECT_TRUE(pos(l).flat());
}

TEST(Ledger, InvalidFillsChangeNothing) {
  ledger l;
  EXPECT_EQ(l.apply(buy("", 100, 1)).outcome, apply_outcome::invalid);
  EXPECT_EQ(l.apply(buy("t1", 0, 1)).outcome, apply_outcome::invalid);
  EXPECT_EQ(l.apply(buy("t2", 100, 0)).outcome, apply_outcome::invalid);
  auto tiny = buy("t3", 1'000'000, 0.00000001);
  tiny.size_in_quote = true;  // one quote unit buys less than one base unit
  auto r = l.apply(tiny);
  EXPECT_EQ(r.outcome, apply_outcome::invalid);
  EXPECT_NE(r.reason.find("INVALID_FILL"), std::string::npos);
  EXPECT_EQ(l.apply(buy("t4", 1e9, 1e9)).outcome, apply_outcome::invalid);  // notional out of range
  EXPECT_TRUE(l.positions().empty());
  EXPECT_EQ(l.total().fills, 0);
  EXPECT_FALSE(l.seen(trade_id{"t1"}));
}

TEST(Ledger, NavIsCashPlusMarkedPositionsAndRaisesTheHighWaterMark) {
  ledger l;
  l.set_cash(usd(10'000));
  l.apply(buy("t1", 100, 10, 0, nov21));  // cash 9000, 10 coins
  std::unordered_map<product_id, price> marks{{product_id{"BTC-USD"}, px(120)}};
  auto m = l.mark(marks, nov21 + s);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m.nav, usd(10'200));
  EXPECT_TRUE(m.new_high);
  EXPECT_EQ(l.high_water(), usd(10'200));
  marks[product_id{"BTC-USD"}] = px(99);
  m = l.mark(marks, nov21 + 2 * s);
  EXPECT_EQ(m.nav, usd(9'990));
  EXPECT_FALSE(m.new_high);
  EXPECT_EQ(m.high_water, usd(10'200));
  EXPECT_NEAR(m.drawdown_pct, 210.0 / 10'200.0 * 100.0, 1e-9);
  EXPECT_EQ(l.high_water_at(), nov21 + s);
}

TEST(Ledger, NavWithoutAMarkForAPositionIsNotComputed) {
  ledger l;
  l.apply(buy("t1", 100, 1));
  auto m = l.mark({}, nov21);
  EXPECT_FALSE(m.ok());
  ASSERT_EQ(m.unmarked.size(), 1u);
  EXPECT_EQ(m.unmarked[0].value, "BTC-USD");
  EXPECT_EQ(l.high_water(), usd(0));
}

TEST(Ledger, FillMessageConvertsWithItsQuoteFee) {
  fill f;
  f.trade = trade_id{"x"};
  f.product = product_id{"BTC-USD"};
  f.dir = side::sell;
  f.px = px(10);
  f.qty = sz(2);
  f.fee = usd(0.1);
  f.ts_event = nov21;
  auto lf = to_ledger_fill(f, false);
  EXPECT_EQ(lf.fee, usd(0.1));
  EXPECT_TRUE(lf.fee_base.is_zero());
  EXPECT_FALSE(lf.size_in_quote);
  EXPECT_TRUE(to_ledger_fill(f, true).size_in_quote);
}
