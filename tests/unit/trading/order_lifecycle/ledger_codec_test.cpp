// The ledger as bytes: a round trip changes nothing, damaged bytes are refused.
#include "actors/trading/order_lifecycle/ledger_codec.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

constexpr ts_ns t0 = 1'795'219'200LL * ns_per_s;

ledger_fill f(const char* trade, side dir, double p, double q, double fee, ts_ns t) {
  ledger_fill x;
  x.trade = trade_id{trade};
  x.order = client_order_id{"t-9-b-btcusd-x"};
  x.product = product_id{"BTC-USD"};
  x.dir = dir;
  x.px = price::from_double(p);
  x.qty = size::from_double(q);
  x.fee = notional::from_double(fee);
  x.ts_event = t;
  return x;
}

ledger sample() {
  ledger_options o;
  o.reorder_window_ns = 100 * ns_per_s;
  ledger l{o};
  l.set_cash(notional::from_int(5000));
  l.apply(f("a", side::buy, 100, 1, 0.5, t0));
  l.apply(f("b", side::buy, 110, 1, 0.5, t0 + 200 * ns_per_s));  // folds a
  l.apply(f("c", side::sell, 120, 0.5, 0.3, t0 + 210 * ns_per_s));
  l.mark({{product_id{"BTC-USD"}, price::from_int(130)}}, t0 + 220 * ns_per_s);
  return l;
}

} // namespace

TEST(LedgerCodec, RoundTripKeepsEverything) {
  const auto l = sample();
  std::string why;
  auto back = ledger_codec::decode(ledger_codec::encode(l), &why);
  ASSERT_TRUE(back) << why;
  EXPECT_EQ(back->positions(), l.positions());
  EXPECT_EQ(back->buckets(), l.buckets());
  EXPECT_EQ(back->cash(), l.cash());
  EXPECT_EQ(back->high_water(), l.high_water());
  EXPECT_EQ(back->high_water_at(), l.high_water_at());
  EXPECT_EQ(back->options().reorder_window_ns, l.options().reorder_window_ns);
  EXPECT_TRUE(back->seen(trade_id{"a"}));  // folded
  EXPECT_TRUE(back->seen(trade_id{"c"}));  // pending
  EXPECT_EQ(ledger_codec::encode(*back), ledger_codec::encode(l));
}

TEST(LedgerCodec, DecodedLedgerContinuesLikeTheOriginal) {
  auto a = sample();
  auto b = *ledger_codec::decode(ledger_codec::encode(a));
  for (auto* l : {&a, &b}) {
    l->apply(f("d", side::buy, 100, 0.2, 0.1, t0 + 205 * ns_per_s));  // out of order: replays
    l->apply(f("c", side::sell, 120, 0.5, 0.3, t0 + 210 * ns_per_s));  // duplicate
  }
  EXPECT_EQ(a.positions(), b.positions());
  EXPECT_EQ(a.buckets(), b.buckets());
  EXPECT_EQ(a.cash(), b.cash());
}

TEST(LedgerCodec, EmptyLedgerRoundTrips) {
  ledger l;
  auto back = ledger_codec::decode(ledger_codec::encode(l));
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->positions().empty());
}

TEST(LedgerCodec, EveryTruncationIsRefused) {
  const auto bytes = ledger_codec::encode(sample());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    std::string why;
    EXPECT_FALSE(ledger_codec::decode(std::string_view{bytes}.substr(0, n), &why)) << n;
    EXPECT_FALSE(why.empty());
  }
}

TEST(LedgerCodec, TrailingBytesAndUnknownVersionsAreRefused) {
  auto bytes = ledger_codec::encode(sample());
  std::string why;
  EXPECT_FALSE(ledger_codec::decode(bytes + "x", &why));
  EXPECT_EQ(why, "trailing bytes");
  bytes[0] = 9;
  EXPECT_FALSE(ledger_codec::decode(bytes, &why));
  EXPECT_EQ(why, "unknown ledger version 9");
}

TEST(LedgerCodec, SummaryPlusOneBookPerProductRoundTrips) {
  auto l = sample();
  auto eth = f("e1", side::buy, 10, 3, 0.1, t0 + 230 * ns_per_s);
  eth.product = product_id{"ETH-USD"};
  l.apply(eth);
  const auto summary = ledger_codec::encode_summary(l);
  const auto btc = *ledger_codec::encode_book(l, product_id{"BTC-USD"});
  const auto eth_book = *ledger_codec::encode_book(l, product_id{"ETH-USD"});
  EXPECT_FALSE(ledger_codec::encode_book(l, product_id{"SOL-USD"}));
  std::string why;
  auto back = ledger_codec::decode(summary, {btc, eth_book}, &why);
  ASSERT_TRUE(back) << why;
  EXPECT_EQ(ledger_codec::encode(*back), ledger_codec::encode(l));
  EXPECT_TRUE(back->seen(trade_id{"e1"}));
  EXPECT_TRUE(back->seen(trade_id{"a"}));
}

TEST(LedgerCodec, TheSameBookTwiceIsRefused) {
  const auto l = sample();
  const auto btc = *ledger_codec::encode_book(l, product_id{"BTC-USD"});
  std::string why;
  EXPECT_FALSE(ledger_codec::decode(ledger_codec::encode_summary(l), {btc, btc}, &why));
  EXPECT_EQ(why, "product BTC-USD twice");
}

TEST(LedgerCodec, TruncatedBookIsRefused) {
  const auto l = sample();
  const auto btc = *ledger_codec::encode_book(l, product_id{"BTC-USD"});
  std::string why;
  EXPECT_FALSE(ledger_codec::decode(ledger_codec::encode_summary(l), {std::string_view{btc}.substr(0, btc.size() - 1)},
                                    &why));
  EXPECT_EQ(why.rfind("truncated", 0), 0u) << why;
}

TEST(LedgerCodec, FlippedBytesNeverCrashTheDecoder) {
  const auto bytes = ledger_codec::encode(sample());
  std::size_t refused = 0;
  for (std::size_t i = 0; i < bytes.size(); ++i)
    for (unsigned char bit : {0x01, 0x80}) {
      auto damaged = bytes;
      damaged[i] = static_cast<char>(damaged[i] ^ bit);
      std::string why;
      refused += !ledger_codec::decode(damaged, &why);  // may decode to other values; must not crash
    }
  EXPECT_GT(refused, 0u);  // the store's checksum catches the rest before the ledger sees them
}
