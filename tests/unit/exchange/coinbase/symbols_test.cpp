// Canonical product ids: every accepted spelling maps to BTC-USD, bad input names itself.
#include "actors/exchange/coinbase/symbols.hpp"

#include <gtest/gtest.h>

using trader::exchange::canonical_currency;
using trader::exchange::canonical_product;

TEST(Symbols, EverySpellingOfBtcUsdIsCanonical) {
  for (const char* s : {"BTC-USD", "btc-usd", "BTC/USD", "BTCUSD", "btcusd", "BTC_USD", " BTC-USD ", "XBT-USD",
                        "XBTUSD", "xbt/usd", "WBTC-USD", "WBTCUSD"}) {
    auto r = canonical_product(s);
    ASSERT_TRUE(r.ok()) << s << ": " << r.error();
    EXPECT_EQ(r.value().value, "BTC-USD") << s;
  }
}

TEST(Symbols, SplitsConcatenatedSymbolsAtTheLongestKnownQuote) {
  EXPECT_EQ(canonical_product("ETHUSDC").value().value, "ETH-USDC");
  EXPECT_EQ(canonical_product("SOLUSD").value().value, "SOL-USD");
  EXPECT_EQ(canonical_product("ETHBTC").value().value, "ETH-BTC");
  EXPECT_EQ(canonical_product("eth-eur").value().value, "ETH-EUR");
}

TEST(Symbols, RejectsMalformedInputNamingIt) {
  for (const char* s : {"", "   ", "BTC", "BTCXYZ", "BTC--USD", "BTC-USD-X", "B-USD", "BTC-", "-USD", "BT C-USD",
                        "BTC-BTC", "XBT-WBTC"}) {
    auto r = canonical_product(s);
    EXPECT_FALSE(r.ok()) << s;
    EXPECT_NE(r.error().find("'" + std::string(s) + "'"), std::string::npos) << r.error();
  }
}

TEST(Symbols, CurrencyAliases) {
  EXPECT_EQ(canonical_currency("xbt"), "BTC");
  EXPECT_EQ(canonical_currency("WBTC"), "BTC");
  EXPECT_EQ(canonical_currency("usd"), "USD");
  EXPECT_EQ(canonical_currency("ETH"), "ETH");
}
