// Client order ids: deterministic, unique per sequence, within Coinbase-safe limits,
// parseable, and the sequence restorable.
#include "actors/trading/order_lifecycle/client_order_ids.hpp"

#include <gtest/gtest.h>

#include <set>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {
bool safe_chars(const std::string& s) {
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
      return false;
  return true;
}
} // namespace

TEST(ClientOrderIds, FormatIsNamespaceSequenceSideSymbolStrategy) {
  EXPECT_EQ(make_client_order_id("t", "momentum", product_id{"BTC-USD"}, side::buy, 42).value, "t-42-b-btcusd-momentum");
  EXPECT_EQ(make_client_order_id("p7", "Mean_Rev 2", product_id{"ETH-USDC"}, side::sell, 1).value,
            "p7-1-s-ethusdc-meanrev2");
}

TEST(ClientOrderIds, SameInputsGiveTheSameId) {
  auto a = make_client_order_id("t", "momentum", product_id{"BTC-USD"}, side::buy, 7);
  auto b = make_client_order_id("t", "momentum", product_id{"BTC-USD"}, side::buy, 7);
  EXPECT_EQ(a, b);
}

TEST(ClientOrderIds, EachInputChangesTheId) {
  auto base = make_client_order_id("t", "momentum", product_id{"BTC-USD"}, side::buy, 7);
  EXPECT_NE(base, make_client_order_id("t", "momentum", product_id{"BTC-USD"}, side::buy, 8));
  EXPECT_NE(base, make_client_order_id("t", "momentum", product_id{"BTC-USD"}, side::sell, 7));
  EXPECT_NE(base, make_client_order_id("t", "momentum", product_id{"ETH-USD"}, side::buy, 7));
  EXPECT_NE(base, make_client_order_id("t", "breakout", product_id{"BTC-USD"}, side::buy, 7));
  EXPECT_NE(base, make_client_order_id("u", "momentum", product_id{"BTC-USD"}, side::buy, 7));
}

TEST(ClientOrderIds, LongNamesAndSequencesStayWithin36SafeCharacters) {
  const std::string strategy(200, 'z');
  for (std::uint64_t seq : {1ULL, 999'999ULL, 18'446'744'073'709'551'615ULL}) {
    auto id = make_client_order_id("abcd", strategy, product_id{"SUPERLONGTOKEN-USDC"}, side::sell, seq).value;
    EXPECT_LE(id.size(), max_client_order_id_len) << id;
    EXPECT_TRUE(safe_chars(id)) << id;
    auto p = parse_client_order_id(id);
    ASSERT_TRUE(p) << id;
    EXPECT_EQ(p->sequence, seq);
    EXPECT_FALSE(p->strategy.empty());
  }
}

TEST(ClientOrderIds, ParsesItsOwnIdsBack) {
  auto p = parse_client_order_id("t-42-b-btcusd-momentum");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->ns, "t");
  EXPECT_EQ(p->sequence, 42u);
  EXPECT_EQ(p->dir, side::buy);
  EXPECT_EQ(p->symbol, "btcusd");
  EXPECT_EQ(p->strategy, "momentum");
}

TEST(ClientOrderIds, RefusesForeignIds) {
  for (const char* id : {"", "0b8c6b35-33ac-4b53-a7a8-9d5a2e6c9f11", "ccxt-8d2c", "t-0-b-btcusd-x", "t-01-b-btcusd-x",
                         "t-1-x-btcusd-x", "T-1-b-btcusd-x", "t-1-b-btcusd-", "t-1-b-btc-usd-x", "toolong-1-b-btcusd-x"})
    EXPECT_FALSE(parse_client_order_id(id)) << id;
}

TEST(ClientOrderIds, GeneratorHandsOutIncreasingSequences) {
  client_order_id_generator g{"t"};
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i)
    ids.insert(g.next("s", product_id{"BTC-USD"}, side::buy).value);
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_EQ(g.next_sequence(), 1001u);
}

TEST(ClientOrderIds, RestoredSequenceContinuesAfterTheLastUsed) {
  client_order_id_generator g{"t"};
  g.restore(41);
  EXPECT_EQ(g.next("momentum", product_id{"BTC-USD"}, side::buy).value, "t-42-b-btcusd-momentum");
  g.restore(10);  // never lowers
  EXPECT_EQ(g.next_sequence(), 43u);
}

TEST(ClientOrderIds, ObservingStoredOrExchangeIdsRestoresTheSequence) {
  client_order_id_generator g{"t"};
  EXPECT_TRUE(g.observe("t-500-s-ethusd-x"));
  EXPECT_FALSE(g.observe("u-900-s-ethusd-x"));  // another namespace
  EXPECT_FALSE(g.observe("ccxt-1234"));
  EXPECT_EQ(g.next_sequence(), 501u);
}

TEST(ClientOrderIds, InvalidNamespaceFallsBackToT) {
  client_order_id_generator g{"BAD NS"};
  EXPECT_EQ(g.ns(), "t");
  EXPECT_TRUE(valid_client_id_namespace("a1"));
  EXPECT_FALSE(valid_client_id_namespace("abcde"));
  EXPECT_FALSE(valid_client_id_namespace(""));
}

TEST(ClientOrderIds, ExhaustedSequenceNeverWraps) {
  client_order_id_generator g{"t"};
  g.restore(UINT64_MAX);
  EXPECT_EQ(g.next_sequence(), UINT64_MAX);
}
