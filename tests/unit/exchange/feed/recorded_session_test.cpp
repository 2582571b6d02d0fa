// The real recorded Coinbase Advanced Trade session (shared/data/market/README.md §3) goes
// through the same parser and book builder as the live feed: every message parses, the
// sequence numbers are contiguous, the books never cross, and deletes of unknown levels
// (27 BTC, 25 ETH in the recording) are tolerated. Skipped when the data is absent.
#include "actors/exchange/feed/feed_state.hpp"
#include "actors/exchange/feed/order_book.hpp"
#include "actors/exchange/feed/ws_parser.hpp"
#include "tools/simex/engine/replay.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>

namespace trader::feed {
namespace {

const std::string recording = std::string(TRADER_MARKET_DATA_DIR) + "/coinbase_advtrade_ws_btc-usd_eth-usd.jsonl.zst";

TEST(RecordedSession, EveryMessageParsesContiguousBooksNeverCross) {
  if (!std::filesystem::exists(recording))
    GTEST_SKIP() << "no recording at " << recording;
  std::string err;
  auto rec = simex::load_ws_recording(recording, err);
  ASSERT_TRUE(rec) << err;
  ASSERT_EQ(rec->frames.size(), 1030u);

  ws_parser parser;
  ws_frame f;
  sequence_tracker seq;
  std::map<std::string, order_book> books;
  std::map<std::string, std::size_t> unknown_deletes, updates;
  std::map<ws_channel, std::size_t> by_channel;
  std::size_t quotes = 0, trades = 0, candles = 0, crossed_quotes = 0;
  for (const auto& fr : rec->frames) {
    auto e = parser.parse(fr.data, fr.received, f);
    ASSERT_FALSE(e) << e->what << " in " << fr.data.substr(0, 200);
    ASSERT_NE(f.channel, ws_channel::unknown) << fr.data.substr(0, 200);
    ++by_channel[f.channel];
    auto s = seq.observe(f.sequence);
    ASSERT_NE(s.v, sequence_tracker::verdict::gap) << "expected " << s.expected << " got " << f.sequence;
    ASSERT_NE(s.v, sequence_tracker::verdict::old);
    for (auto& b : f.books) {
      auto r = books[b.product.value].apply(b);
      ASSERT_TRUE(r.applied) << b.product.value << " update before its snapshot";
      unknown_deletes[b.product.value] += r.unknown_deletes;
      updates[b.product.value] += b.is_snapshot ? 0 : 1;
      ASSERT_FALSE(books[b.product.value].crossed()) << b.product.value << " crossed at seq " << f.sequence;
    }
    for (auto& q : f.quotes)
      crossed_quotes += q.bid >= q.ask;
    quotes += f.quotes.size();
    trades += f.trades.size();
    candles += f.candles.size();
  }
  EXPECT_EQ(seq.gaps(), 0u);
  EXPECT_EQ(by_channel[ws_channel::level2], 775u);
  EXPECT_EQ(by_channel[ws_channel::market_trades], 59u);
  EXPECT_EQ(by_channel[ws_channel::ticker], 160u);
  EXPECT_EQ(by_channel[ws_channel::heartbeats], 25u);
  EXPECT_EQ(by_channel[ws_channel::subscriptions], 5u);
  EXPECT_EQ(updates["BTC-USD"], 399u);
  EXPECT_EQ(updates["ETH-USD"], 374u);
  EXPECT_EQ(unknown_deletes["BTC-USD"], 27u);
  EXPECT_EQ(unknown_deletes["ETH-USD"], 25u);
  EXPECT_EQ(crossed_quotes, 0u);
  EXPECT_EQ(quotes, 160u);
  EXPECT_EQ(trades, 147u + 132u);  // README: BTC 100 snapshot + 47 live, ETH 100 + 32
  EXPECT_GE(candles, 200u);
  // The snapshot sizes the README lists.
  EXPECT_GT(books["BTC-USD"].bid_levels(), 18000u);
  EXPECT_GT(books["ETH-USD"].ask_levels(), 16000u);
}

} // namespace
} // namespace trader::feed
