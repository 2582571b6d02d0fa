#include "messages/numeric.hpp"

#include <gtest/gtest.h>

using namespace trader;

TEST(FixedPoint, ParsesExchangeDecimalsExactly) {
  EXPECT_EQ(parse_fixed<price_tag>("67123.45")->units, 6'712'345'000'000);
  EXPECT_EQ(parse_fixed<size_tag>("0.00000001")->units, 1);
  EXPECT_EQ(parse_fixed<size_tag>("-1.5")->units, -150'000'000);
  EXPECT_EQ(parse_fixed<size_tag>("1.50000000000")->units, 150'000'000);  // trailing zeros ok
  EXPECT_EQ(parse_fixed<size_tag>(".5")->units, 50'000'000);
}

TEST(FixedPoint, RejectsMalformedOrLossyInput) {
  EXPECT_FALSE(parse_fixed<size_tag>(""));
  EXPECT_FALSE(parse_fixed<size_tag>("-"));
  EXPECT_FALSE(parse_fixed<size_tag>("."));
  EXPECT_FALSE(parse_fixed<size_tag>("1e5"));
  EXPECT_FALSE(parse_fixed<size_tag>("1.2.3"));
  EXPECT_FALSE(parse_fixed<size_tag>("0.000000001"));         // below 1e-8 would be lost
  EXPECT_FALSE(parse_fixed<size_tag>("99999999999999999999"));  // overflow
}

// Amounts Coinbase computes (a quote-sized fill's size, commissions, average prices,
// balances) come at full precision; the rounded parse keeps them instead of refusing them.
TEST(FixedPoint, RoundedParseRoundsPast1e8HalfAwayFromZero) {
  EXPECT_EQ(parse_fixed_rounded<notional_tag>("4.9603174603174603")->units, 496'031'746);
  EXPECT_EQ(parse_fixed_rounded<notional_tag>("0.0297619047619048")->units, 2'976'190);
  EXPECT_EQ(parse_fixed_rounded<notional_tag>("0.000000005")->units, 1);
  EXPECT_EQ(parse_fixed_rounded<notional_tag>("0.0000000049999")->units, 0);
  EXPECT_EQ(parse_fixed_rounded<notional_tag>("-0.000000015")->units, -2);
  EXPECT_EQ(parse_fixed_rounded<notional_tag>("1.99999999999")->units, 200'000'000);
  EXPECT_EQ(parse_fixed_rounded<size_tag>("0.00262002")->units, 262'002);  // exact stays exact
  EXPECT_FALSE(parse_fixed_rounded<notional_tag>("1.2.3"));
  EXPECT_FALSE(parse_fixed_rounded<notional_tag>("0.00000000x"));
  EXPECT_FALSE(parse_fixed<notional_tag>("4.9603174603174603"));  // the strict parse still refuses
}

TEST(FixedPoint, FormatsShortestExactForm) {
  EXPECT_EQ(to_string(price::from_units(6'712'345'000'000)), "67123.45");
  EXPECT_EQ(to_string(size::from_units(1)), "0.00000001");
  EXPECT_EQ(to_string(size::from_int(100)), "100");
  EXPECT_EQ(to_string(size::from_units(-250'000'000)), "-2.5");
  EXPECT_EQ(to_string(size{}), "0");
}

TEST(FixedPoint, MultipliesPriceBySizeWithoutOverflow) {
  auto px = *parse_fixed<price_tag>("100000.01");
  auto qty = *parse_fixed<size_tag>("12.5");
  EXPECT_EQ(to_string(px * qty), "1250000.125");
  EXPECT_FALSE(checked_mul(price::from_int(90'000'000'000), size::from_int(1'000)));
}

TEST(FixedPoint, DividesNotionalByPriceTowardZero) {
  auto q = checked_div(*parse_fixed<notional_tag>("100"), *parse_fixed<price_tag>("3"));
  ASSERT_TRUE(q);
  EXPECT_EQ(to_string(*q), "33.33333333");
  EXPECT_FALSE(checked_div(notional::from_int(1), price{}));
}

TEST(FixedPoint, FloorsToIncrement) {
  auto x = *parse_fixed<size_tag>("0.12345678");
  EXPECT_EQ(to_string(floor_to(x, *parse_fixed<size_tag>("0.001"))), "0.123");
}
