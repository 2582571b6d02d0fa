// The loaders: candle CSVs (1-minute only), Binance and Coinbase trade ticks, product names
// from file names, ticks to minute candles, range filters, and the shared files' SHA-256.

#include "tools/backtest/data/market_data.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace {

using namespace trader;
using namespace trader::backtest;

std::string temp_file(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / ("bt_md_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = (dir / name).string();
  std::ofstream{p, std::ios::binary} << text;
  return p;
}

std::string shared(const std::string& file) { return std::string{TRADER_MARKET_DATA_DIR} + "/" + file; }

TEST(ProductFromName, ReadsTheSharedFileNames) {
  EXPECT_EQ(product_from_name("x/ftx_btc-perp_1m_20211231-20220201.csv"), "BTC-USD");
  EXPECT_EQ(product_from_name("coinbase_btc-usd_1h_cryptodatadownload.csv"), "BTC-USD");
  EXPECT_EQ(product_from_name("binance_spot_ethusdt_20240808.gz"), "ETH-USD");
  EXPECT_EQ(product_from_name("SOL-USD.csv"), "SOL-USD");
  EXPECT_EQ(product_from_name("prices.csv"), "");
}

TEST(CandlesCsv, LoadsOneMinuteBarsOldestFirstWithinTheRange) {
  auto p = temp_file("eth-usd_1m.csv",
                     "timestamp,open,high,low,close,volume\n"
                     "180,3,4,2,3.5,10\n60,1,2,1,2,5\n120,2,3,2,3,7\n240,3.5,4,3,4,1\n");
  std::string error;
  auto md = load_market_data({p}, load_options{"", 120, 240}, error);
  ASSERT_TRUE(md) << error;
  ASSERT_EQ(md->products.size(), 1u);
  EXPECT_EQ(md->products[0].product, "ETH-USD");
  ASSERT_EQ(md->products[0].candles.size(), 2u);  // 120 and 180; 60 before, 240 at the end
  EXPECT_EQ(md->products[0].candles[0].start, 120);
  EXPECT_EQ(md->products[0].candles[1].close, *parse_fixed<price_tag>("3.5"));
  EXPECT_EQ(md->files[0].format, "candles_csv");
  EXPECT_EQ(md->files[0].sha256.size(), 64u);
  EXPECT_FALSE(md->synthetic);
}

TEST(CandlesCsv, RefusesBarsThatAreNotOneMinuteApart) {
  auto p = temp_file("btc-usd_1h.csv", "timestamp,open,high,low,close,volume\n0,1,1,1,1,1\n3600,1,1,1,1,1\n7200,1,1,1,1,1\n");
  std::string error;
  EXPECT_FALSE(load_market_data({p}, {}, error));
  EXPECT_NE(error.find("3600 s apart"), std::string::npos) << error;
}

TEST(CandlesCsv, NeedsAProductWhenTheNameHasNone) {
  auto p = temp_file("prices.csv", "timestamp,open,high,low,close,volume\n0,1,1,1,1,1\n60,1,1,1,1,1\n");
  std::string error;
  EXPECT_FALSE(load_market_data({p}, {}, error));
  EXPECT_NE(error.find("--product"), std::string::npos);
  auto md = load_market_data({p}, load_options{"ABC-USD", 0, 0}, error);
  ASSERT_TRUE(md) << error;
  EXPECT_EQ(md->products[0].product, "ABC-USD");
}

TEST(MarketData, NoFilesIsTheSyntheticMarketAndAMissingFileIsAnError) {
  std::string error;
  auto md = load_market_data({}, {}, error);
  ASSERT_TRUE(md);
  EXPECT_TRUE(md->synthetic);
  EXPECT_FALSE(load_market_data({"/nonexistent/x.csv"}, {}, error));
  EXPECT_NE(error.find("cannot read"), std::string::npos);
}

TEST(BinanceTicks, TakerSideFromTheMakerFlagAndTimeFromT) {
  auto p = temp_file("binance_spot_btcusdt.txt",
                     "1 {\"stream\":\"btcusdt@depth@100ms\",\"data\":{}}\n"
                     "2 {\"stream\":\"btcusdt@trade\",\"data\":{\"s\":\"BTCUSDT\",\"t\":2,\"p\":\"61000.5\",\"q\":\"0.5\","
                     "\"T\":1723161601500,\"m\":false}}\n"
                     "3 {\"stream\":\"btcusdt@trade\",\"data\":{\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"61000.0\",\"q\":\"0.1\","
                     "\"T\":1723161601400,\"m\":true}}\n");
  std::string product, error;
  auto ticks = binance_ticks(p, product, error);
  ASSERT_TRUE(ticks) << error;
  EXPECT_EQ(product, "BTC-USD");
  ASSERT_EQ(ticks->size(), 2u);
  EXPECT_EQ((*ticks)[0].t, 1723161601400LL * ns_per_ms);  // sorted by trade time
  EXPECT_EQ((*ticks)[0].taker, side::sell);               // buyer was the maker
  EXPECT_EQ((*ticks)[1].taker, side::buy);
}

TEST(CoinbaseTicks, DropsDuplicateTradeIdsAndFlipsTheMakerSide) {
  const std::string frame =
    R"({"channel":"market_trades","events":[{"type":"update","trades":[{"product_id":"BTC-USD","trade_id":"7",)"
    R"("price":"65000.5","size":"0.01","time":"2026-08-09T21:05:42.5Z","side":"SELL"}]}]})";
  std::string quoted;
  for (char c : frame)
    quoted += c == '"' ? std::string{"\\\""} : std::string{c};
  const std::string line = R"({"t":"recv","ts":1786309548.6,"data":")" + quoted + "\"}\n";
  auto p = temp_file("rec.jsonl", line + line);
  std::string error;
  auto md = load_market_data({p}, {}, error);
  ASSERT_TRUE(md) << error;
  ASSERT_EQ(md->products.size(), 1u);
  const auto& pd = md->products[0];
  EXPECT_TRUE(pd.from_ticks);
  ASSERT_EQ(pd.ticks.size(), 1u);
  EXPECT_EQ(pd.ticks[0].taker, side::buy);  // the public side is the maker's
  ASSERT_EQ(pd.candles.size(), 1u);         // the exchange's path: built from the ticks
}

TEST(MinuteCandles, AggregatesTicksPerMinute) {
  std::vector<tick> t{{0, price::from_int(10), size::from_int(1), side::buy},
                      {30 * ns_per_s, price::from_int(12), size::from_int(2), side::buy},
                      {59 * ns_per_s, price::from_int(9), size::from_int(1), side::sell},
                      {61 * ns_per_s, price::from_int(11), size::from_int(1), side::buy}};
  auto c = minute_candles(t);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].open, price::from_int(10));
  EXPECT_EQ(c[0].high, price::from_int(12));
  EXPECT_EQ(c[0].low, price::from_int(9));
  EXPECT_EQ(c[0].close, price::from_int(9));
  EXPECT_EQ(c[0].volume, size::from_int(4));
  EXPECT_EQ(c[1].start, 60);
}

TEST(BacktestData, FtxMinuteFileLoadsWithItsPublishedHash) {
  const auto p = shared("ftx_btc-perp_1m_20211231-20220201.csv");
  if (!std::filesystem::exists(p))
    GTEST_SKIP() << "shared data not present: " << p;
  std::string error;
  auto md = load_market_data({p}, {}, error);
  ASSERT_TRUE(md) << error;
  EXPECT_EQ(md->files[0].sha256, "65ab55cd5f3531aa64f429772a38331fe82a92973cbb32a79b243073236c8da3");
  ASSERT_EQ(md->products.size(), 1u);
  EXPECT_EQ(md->products[0].product, "BTC-USD");
  EXPECT_EQ(md->products[0].candles.size(), 45'031u);  // README: every minute of the span
}

TEST(BacktestData, BinanceCapturesGiveContiguousTrades) {
  const auto a = shared("binance_spot_btcusdt_20240808.gz"), b = shared("binance_spot_btcusdt_20240809.gz");
  if (!std::filesystem::exists(a) || !std::filesystem::exists(b))
    GTEST_SKIP() << "shared data not present: " << a;
  std::string error;
  auto md = load_market_data({a, b}, {}, error);
  ASSERT_TRUE(md) << error;
  ASSERT_EQ(md->products.size(), 1u);
  EXPECT_EQ(md->products[0].ticks.size(), 19'904u);  // README: trade ids 3735683259–3735703162
}

TEST(BacktestData, CoinbaseRecordingGivesBothProducts) {
  const auto p = shared("coinbase_advtrade_ws_btc-usd_eth-usd.jsonl.zst");
  if (!std::filesystem::exists(p))
    GTEST_SKIP() << "shared data not present: " << p;
  std::string error;
  auto md = load_market_data({p}, {}, error);
  ASSERT_TRUE(md) << error;
  ASSERT_EQ(md->products.size(), 2u);
  EXPECT_EQ(md->products[0].product, "BTC-USD");
  EXPECT_EQ(md->products[0].ticks.size(), 147u);  // README: BTC 147 trades
  EXPECT_EQ(md->products[1].ticks.size(), 132u);
}

} // namespace
