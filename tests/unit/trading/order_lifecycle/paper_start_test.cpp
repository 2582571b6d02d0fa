// PAPER's account at start (paper_start.hpp): the ledger's coins and cash from the stored
// fills, the configured cash on a fresh store, shorts and negative cash clamped and named.
#include "actors/trading/order_lifecycle/paper_start.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::order_lifecycle;

namespace {

constexpr ts_ns s = ns_per_s;
constexpr ts_ns nov21 = 1'795'219'200LL * s;

persistence::fill_record rec(const char* trade, const char* product, persistence::order_side dir, const char* px,
                             const char* qty, const char* fee, ts_ns t) {
  persistence::fill_record f;
  f.trade = trade_id{trade};
  f.product = product_id{product};
  f.side = dir;
  f.px = *parse_fixed<price_tag>(px);
  f.qty = *parse_fixed<size_tag>(qty);
  f.fee = *parse_fixed<notional_tag>(fee);
  f.ts_event = t;
  return f;
}
constexpr auto buy = persistence::order_side::buy;
constexpr auto sell = persistence::order_side::sell;

TEST(PaperStart, AFreshStoreStartsWithTheConfiguredCashOnly) {
  auto h = paper_holdings_from({}, notional::from_int(25'000));
  EXPECT_EQ(h.cash, notional::from_int(25'000));
  EXPECT_TRUE(h.coins.empty());
  EXPECT_TRUE(h.problems.empty());
}

TEST(PaperStart, StoredFillsGiveTheLedgersCoinsAndCashInAnyOrder) {
  std::vector<persistence::fill_record> fills{
    rec("t3", "ETH-USD", buy, "2000", "2", "4", nov21 + 3 * s),
    rec("t2", "BTC-USD", sell, "61000", "0.2", "12", nov21 + 2 * s),
    rec("t1", "BTC-USD", buy, "60000", "0.5", "30", nov21 + s),
  };
  auto h = paper_holdings_from(fills, notional::from_int(100'000));
  // 100000 - 30000 - 30 + 12200 - 12 - 4000 - 4
  EXPECT_EQ(to_string(h.cash), "78154");
  EXPECT_EQ(to_string(h.coins.at("BTC")), "0.3");
  EXPECT_EQ(to_string(h.coins.at("ETH")), "2");
  EXPECT_TRUE(h.problems.empty()) << h.problems;
}

TEST(PaperStart, AShortOrNegativeCashIsClampedAndNamed) {
  std::vector<persistence::fill_record> fills{
    rec("t1", "SOL-USD", sell, "150", "1", "0", nov21),        // sold what PAPER never bought
    rec("t2", "BTC-USD", buy, "60000", "1", "0", nov21 + s),   // more than the starting cash
  };
  auto h = paper_holdings_from(fills, notional::from_int(1'000));
  EXPECT_EQ(h.cash, notional{});
  EXPECT_EQ(h.coins.count("SOL"), 0u);
  EXPECT_EQ(to_string(h.coins.at("BTC")), "1");
  EXPECT_NE(h.problems.find("SOL-USD position -1 is short"), std::string::npos) << h.problems;
  EXPECT_NE(h.problems.find("below zero"), std::string::npos) << h.problems;
}

} // namespace
