// Sizing rules: post-only price at/inside the touch, fee-aware size, increment rounding,
// min/max size and funds, fee-adjusted minimum with round-up, never above a cap, best pair.
#include "risk_world.hpp"

#include <gtest/gtest.h>

using namespace risk_test;

namespace {

// A post-only buy of BTC-USD at 50 000 / 50 001 with maker 40 bps.
sizing_request buy(double desired, double cap) {
  sizing_request r;
  r.dir = side::buy;
  r.desired = usd(desired);
  r.cap = usd(cap);
  r.bid = px(50'000);
  r.ask = px(50'001);
  r.fees = fee_rates{4'000, 6'000};
  return r;
}
product_rules btc() { return rules_for("BTC-USD", "BTC"); }

// What a buy of `base` at `p` costs with the fee (the sizing's own rounding: fee up).
notional cost(price p, size base, ppm fee) { return p * base + scale_up(p * base, fee); }

} // namespace

TEST(Sizing, PostOnlyBuyJoinsTheBidAndSpendsNoMoreThanTheCapWithFees) {
  auto s = size_order(buy(400, 400), btc());
  ASSERT_TRUE(s.ok) << s.why.detail;
  EXPECT_EQ(s.limit_px, px(50'000));
  EXPECT_EQ(s.base, qty(0.00796812));
  EXPECT_LE(cost(s.limit_px, s.base, 4'000), usd(400));
  // One more increment would cross the cap: the size is the largest that fits.
  EXPECT_GT(cost(s.limit_px, s.base + qty(0.00000001), 4'000), usd(400));
  EXPECT_EQ(s.fee, scale_up(s.value, 4'000));
}

TEST(Sizing, BaseSizeIsRoundedDownToTheIncrement) {
  auto rules = rules_for("ETH-USD", "ETH");
  rules.base_increment = qty(0.001);
  auto r = buy(400, 400);
  r.bid = px(3'000);
  r.ask = px(3'000.5);
  auto s = size_order(r, rules);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.base, qty(0.132));  // 400 / 1.004 / 3000 = 0.13280…
}

TEST(Sizing, PriceIsRoundedToThePriceIncrement) {
  auto rules = btc();
  rules.price_increment = px(1);
  auto r = buy(400, 400);
  r.bid = px(50'000.7);
  r.ask = px(50'003);
  EXPECT_EQ(size_order(r, rules).limit_px, px(50'000));  // buys round down
}

TEST(Sizing, PostOnlyPriceCanImproveButNeverCrosses) {
  EXPECT_EQ(post_only_price(side::buy, px(100), px(101), px(0.01), 2, px(0)), px(100.02));
  EXPECT_EQ(post_only_price(side::buy, px(100), px(100.01), px(0.01), 5, px(0)), px(100));  // one-tick spread
  EXPECT_EQ(post_only_price(side::sell, px(100), px(101), px(0.01), 0, px(0)), px(101));
  EXPECT_EQ(post_only_price(side::sell, px(100), px(101), px(0.01), 3, px(0)), px(100.97));
  EXPECT_EQ(post_only_price(side::buy, px(100), px(101), px(0.01), 0, px(99.5)), px(99.5));  // the limit binds
  EXPECT_EQ(post_only_price(side::buy, px(100), px(100), px(0.01), 0, px(0)), px(99.99));   // locked book
  EXPECT_EQ(post_only_price(side::buy, px(101), px(100), px(0.01), 0, px(0)), px(0));       // crossed: none
}

TEST(Sizing, FeeAdjustedMinimumRoundsUpWhenTheCapAllows) {
  auto rules = btc();
  rules.min_funds = usd(10);
  // 10.02 with fees buys 9.98 of BTC: below the minimum once the fee is taken off.
  auto s = size_order(buy(10.02, 11), rules);
  ASSERT_TRUE(s.ok);
  EXPECT_TRUE(s.rounded_up);
  EXPECT_EQ(s.base, qty(0.00020081));
  // The amount after the fee still meets the minimum.
  EXPECT_GE(s.value - scale_up(s.value, 4'000), usd(10));
  EXPECT_LE(cost(s.limit_px, s.base, 4'000), usd(11));
}

TEST(Sizing, NoRoundUpAboveTheCap) {
  auto rules = btc();
  rules.min_funds = usd(10);
  auto s = size_order(buy(10.02, 10.05), rules);
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.why.check, check_id::below_product_minimum);
}

TEST(Sizing, OurOwnMinimumOrderIsFeeAdjustedToo) {
  auto r = buy(5.01, 5.01);
  r.min_order = usd(5);
  auto s = size_order(r, btc());
  EXPECT_FALSE(s.ok);  // 5.01 cannot buy 5 / 0.996 = 5.02 of value
  r.cap = usd(6);
  s = size_order(r, btc());
  ASSERT_TRUE(s.ok);
  EXPECT_GE(s.value - scale_up(s.value, 4'000), usd(5));
}

TEST(Sizing, BaseMinimumRoundsUpWithinTheCap) {
  auto rules = btc();
  rules.base_min = qty(0.001);  // 50 USD
  auto s = size_order(buy(40, 60), rules);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.base, qty(0.001));
  EXPECT_FALSE(size_order(buy(40, 45), rules).ok);
}

TEST(Sizing, BaseMaximumAndMaxFundsCapTheSize) {
  auto rules = btc();
  rules.base_max = qty(0.005);
  EXPECT_EQ(size_order(buy(400, 400), rules).base, qty(0.005));
  rules = btc();
  rules.max_funds = usd(100);
  EXPECT_EQ(size_order(buy(400, 400), rules).base, qty(0.002));
}

TEST(Sizing, TakerFeeAppliesWhenNotPostOnly) {
  auto r = buy(400, 400);
  r.post_only = false;
  auto s = size_order(r, btc());
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.limit_px, px(50'001));  // a plain limit at the ask
  EXPECT_LE(cost(s.limit_px, s.base, 6'000), usd(400));
  EXPECT_GT(cost(s.limit_px, s.base + qty(0.00000001), 6'000), usd(400));
}

TEST(Sizing, MarketBuyUsesAQuoteSizeOnTheQuoteIncrement) {
  auto rules = btc();
  rules.quote_increment = usd(1);
  auto r = buy(400.5, 400.5);
  r.type = order_type::market;
  auto s = size_order(r, rules);
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.quote, usd(400));
  EXPECT_EQ(s.base, qty(0));
  EXPECT_EQ(s.limit_px, px(0));
}

TEST(Sizing, SellReducesByValueNeverBeyondTheHolding) {
  sizing_request r;
  r.dir = side::sell;
  r.desired = usd(300);
  r.cap = usd(300);
  r.held = qty(0.01);
  r.bid = px(50'000);
  r.ask = px(50'001);
  auto s = size_order(r, btc());
  ASSERT_TRUE(s.ok);
  EXPECT_EQ(s.limit_px, px(50'001));  // post-only sell at the ask
  EXPECT_EQ(s.base, qty(0.00599988));
  r.close_all = true;
  EXPECT_EQ(size_order(r, btc()).base, qty(0.01));
}

TEST(Sizing, DustBelowTheProductMinimumCannotBeSold) {
  sizing_request r;
  r.dir = side::sell;
  r.close_all = true;
  r.held = qty(0.000001);
  r.bid = px(50'000);
  r.ask = px(50'001);
  auto s = size_order(r, btc());
  EXPECT_FALSE(s.ok);
  EXPECT_EQ(s.why.check, check_id::below_product_minimum);
}

TEST(BestPair, PicksTheTightestFreshOnlinePair) {
  market_snapshot m;
  auto usd_pair = entry_for("BTC-USD", "BTC", 50'000, 50'010, 1);
  auto usdc_pair = entry_for("BTC-USDC", "BTC", 50'000, 50'002, 1);
  usdc_pair.rules.quote = "USDC";
  m.upsert(usd_pair);
  m.upsert(usdc_pair);
  const std::vector<std::string> prefs = {"USD", "USDC"};
  EXPECT_EQ(best_pair("BTC", m, prefs, t0, seconds(30)), pid("BTC-USDC"));
  usdc_pair.top->ask = px(50'010);  // same spread: the preference order decides
  m.upsert(usdc_pair);
  EXPECT_EQ(best_pair("BTC", m, prefs, t0, seconds(30)), pid("BTC-USD"));
  usd_pair.status = product_state::cancel_only;
  m.upsert(usd_pair);
  EXPECT_EQ(best_pair("BTC", m, prefs, t0, seconds(30)), pid("BTC-USDC"));
  EXPECT_FALSE(best_pair("BTC", m, prefs, t0 + seconds(31), seconds(30)));  // every quote stale
  EXPECT_FALSE(best_pair("ETH", m, prefs, t0, seconds(30)));
}

TEST(Sizing, NeverAboveTheCapOverASweepOfPricesIncrementsAndFees) {
  std::uint64_t seed = 42;
  auto next = [&seed](std::uint64_t mod) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % mod;
  };
  const double incs[] = {0.00000001, 0.0001, 0.01, 1};
  int sized = 0;
  for (int i = 0; i < 5'000; ++i) {
    auto rules = btc();
    rules.base_increment = qty(incs[next(4)]);
    rules.base_min = rules.base_increment;
    rules.price_increment = px(0.01);
    sizing_request r;
    r.dir = side::buy;
    r.bid = price{static_cast<std::int64_t>(1'000'000 + next(10'000'000'000'000ULL))};  // 0.01 .. 100 000
    r.bid = floor_to(r.bid, rules.price_increment);
    r.ask = r.bid + px(0.02);
    r.cap = notional{static_cast<std::int64_t>(100'000'000 + next(100'000'000'000ULL))};  // 1 .. 1 000 USD
    r.desired = r.cap;
    r.fees = fee_rates{static_cast<ppm>(next(10'000)), 6'000};
    auto s = size_order(r, rules);
    if (!s.ok)
      continue;
    ++sized;
    ASSERT_LE(s.value + s.fee, r.cap) << "bid=" << to_string(r.bid) << " cap=" << to_string(r.cap);
    EXPECT_EQ(s.base, floor_to(s.base, rules.base_increment));
  }
  EXPECT_GT(sized, 1'000);
}
