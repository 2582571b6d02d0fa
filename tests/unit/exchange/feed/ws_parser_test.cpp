// The WebSocket parser on messages shaped like Coinbase's (coinbase-api.md §4) and on
// malformed ones: every channel becomes its typed message, errors name field and channel.
#include "actors/exchange/feed/ws_parser.hpp"

#include <gtest/gtest.h>

namespace trader::feed {
namespace {

price px(const char* s) { return *parse_fixed<price_tag>(s); }
size sz(const char* s) { return *parse_fixed<size_tag>(s); }

struct ParserTest : ::testing::Test {
  ws_parser parser;
  ws_frame f;
  void ok(std::string_view text) {
    auto err = parser.parse(text, 42, f);
    ASSERT_FALSE(err) << err->what;
  }
};

TEST_F(ParserTest, Level2SnapshotBecomesBookUpdateWithBothSides) {
  ok(R"({"channel":"l2_data","client_id":"","timestamp":"2026-08-09T21:05:48.483587501Z","sequence_num":13,
        "events":[{"type":"snapshot","product_id":"BTC-USD","updates":[
          {"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"65083.66","new_quantity":"0.20371215"},
          {"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"65083.67","new_quantity":"0.5"}]}]})");
  EXPECT_EQ(f.channel, ws_channel::level2);
  EXPECT_EQ(f.sequence, 13);
  ASSERT_EQ(f.books.size(), 1u);
  auto& b = f.books[0];
  EXPECT_TRUE(b.is_snapshot);
  EXPECT_EQ(b.product.value, "BTC-USD");
  ASSERT_EQ(b.bids.size(), 1u);
  ASSERT_EQ(b.asks.size(), 1u);
  EXPECT_EQ(b.bids[0].px, px("65083.66"));
  EXPECT_EQ(b.asks[0].qty, sz("0.5"));
  EXPECT_EQ(b.sequence, 13);
  EXPECT_EQ(b.ts_recv, 42);
  EXPECT_GT(b.ts_event, 0);
}

TEST_F(ParserTest, FieldOrderDoesNotMatter) {
  ok(R"({"sequence_num":7,"events":[{"updates":[{"new_quantity":"0","price_level":"10","side":"offer"}],
        "product_id":"eth-usd","type":"update"}],"timestamp":"2026-08-09T21:05:48Z","channel":"l2_data"})");
  ASSERT_EQ(f.books.size(), 1u);
  EXPECT_FALSE(f.books[0].is_snapshot);
  EXPECT_EQ(f.books[0].product.value, "ETH-USD");
  EXPECT_EQ(f.books[0].asks[0].qty.units, 0);
}

TEST_F(ParserTest, TickerBecomesQuoteWithExchangeAndReceiveTime) {
  ok(R"({"channel":"ticker","timestamp":"2026-08-09T21:05:48.229198328Z","sequence_num":6,"events":[{"type":"snapshot",
        "tickers":[{"type":"ticker","product_id":"BTC-USD","price":"65086.18","volume_24_h":"2867.5",
        "best_bid":"65083.66","best_ask":"65083.67","best_bid_quantity":"0.20371215","best_ask_quantity":"0.24290402"}]}]})");
  ASSERT_EQ(f.quotes.size(), 1u);
  auto& q = f.quotes[0];
  EXPECT_EQ(q.bid, px("65083.66"));
  EXPECT_EQ(q.ask, px("65083.67"));
  EXPECT_EQ(q.last, px("65086.18"));
  EXPECT_EQ(q.ask_size, sz("0.24290402"));
  EXPECT_EQ(q.sequence, 6);
  EXPECT_EQ(q.ts_recv, 42);
  EXPECT_EQ(q.ts_event % ns_per_s, 229198328);
}

TEST_F(ParserTest, MarketTradeSideIsTheMakersSoTakerIsOpposite) {
  ok(R"({"channel":"market_trades","timestamp":"2026-08-09T21:05:48Z","sequence_num":0,"events":[{"type":"update",
        "trades":[{"product_id":"BTC-USD","trade_id":"1068572090","price":"65083.67","size":"0.002186",
        "time":"2026-08-09T21:05:42.514318Z","side":"SELL"}]}]})");
  ASSERT_EQ(f.trades.size(), 1u);
  EXPECT_EQ(f.trades[0].trade.value, "1068572090");
  EXPECT_EQ(f.trades[0].taker_side, side::buy);
  EXPECT_EQ(f.trades[0].ts_event % ns_per_s, 514318000);
}

TEST_F(ParserTest, CandleStartIsUnixSecondsString) {
  ok(R"({"channel":"candles","timestamp":"2026-08-09T21:05:48Z","sequence_num":3,"events":[{"type":"snapshot",
        "candles":[{"start":"1786279500","high":"1916.6","low":"1915.91","open":"1916.11","close":"1916.02",
        "volume":"13.9044026","product_id":"ETH-USD"}]}]})");
  ASSERT_EQ(f.candles.size(), 1u);
  EXPECT_EQ(f.candles[0].start, 1786279500 * ns_per_s);
  EXPECT_EQ(f.candles[0].high, px("1916.6"));
  EXPECT_EQ(f.candles[0].granularity_s, 300);
}

TEST_F(ParserTest, StatusMapsUnknownStatesToOffline) {
  ok(R"({"channel":"status","timestamp":"2026-08-09T21:05:48Z","sequence_num":3,"events":[{"type":"update",
        "products":[{"id":"BTC-USD","status":"online"},{"id":"ETH-USD","status":"cancel_only"},
                    {"id":"SOL-USD","status":"something_new"}]}]})");
  ASSERT_EQ(f.statuses.size(), 3u);
  EXPECT_EQ(f.statuses[0].state, product_state::online);
  EXPECT_EQ(f.statuses[1].state, product_state::cancel_only);
  EXPECT_EQ(f.statuses[2].state, product_state::offline);
}

TEST_F(ParserTest, UserOrdersCarryCumulativeState) {
  ok(R"({"channel":"user","timestamp":"2026-08-09T21:05:48Z","sequence_num":9,"events":[{"type":"update",
        "orders":[{"order_id":"ex-1","client_order_id":"c-1","cumulative_quantity":"0.5","leaves_quantity":"0.5",
        "avg_price":"100.5","total_fees":"0.25","status":"OPEN","product_id":"BTC-USD","reject_reason":"",
        "cancel_reason":""}],"positions":{"perpetual_futures_positions":[]}}]})");
  ASSERT_EQ(f.orders.size(), 1u);
  auto& o = f.orders[0];
  EXPECT_EQ(o.exchange_id.value, "ex-1");
  EXPECT_EQ(o.id.value, "c-1");
  EXPECT_EQ(o.state, order_state::partially_filled);
  EXPECT_EQ(o.filled_size, sz("0.5"));
  EXPECT_EQ(o.total_fees.units, 25'000'000);
  EXPECT_EQ(o.sequence, 9);
}

TEST_F(ParserTest, HeartbeatCounterAsNumberOrString) {
  ok(R"({"channel":"heartbeats","timestamp":"2026-08-09T21:05:48Z","sequence_num":35,"events":[
        {"current_time":"2026-08-09 21:05:48.85 +0000 UTC m=+1.2","heartbeat_counter":41691}]})");
  EXPECT_EQ(f.heartbeat_counter, 41691);
  ok(R"({"channel":"heartbeats","timestamp":"2026-08-09T21:05:48Z","sequence_num":36,"events":[
        {"current_time":"x","heartbeat_counter":"41692"}]})");
  EXPECT_EQ(f.heartbeat_counter, 41692);
}

TEST_F(ParserTest, AnIntegerOrTimeBeyondRangeIsAnErrorNamingItsField) {
  // Found by fuzzing: twenty digits overflowed int64 while they were read (UB), and a candle
  // start beyond ts_ns's range overflowed when converted to nanoseconds.
  auto err = parser.parse(R"({"channel":"heartbeats","timestamp":"2026-08-09T21:05:48Z","sequence_num":1,"events":[
        {"heartbeat_counter":"22222222222222222222"}]})",
                          0, f);
  ASSERT_TRUE(err);
  EXPECT_NE(err->what.find("heartbeat_counter: out of range"), std::string::npos) << err->what;
  ok(R"({"channel":"heartbeats","timestamp":"2026-08-09T21:05:48Z","sequence_num":2,"events":[
        {"heartbeat_counter":"9223372036854775807"}]})");
  EXPECT_EQ(f.heartbeat_counter, 9223372036854775807);
  for (const char* start : {R"("9223372036854775")", "9223372036854775", "-9223372036854775"}) {
    auto bad = parser.parse(std::string{R"({"channel":"candles","timestamp":"2026-08-09T21:05:48Z","sequence_num":3,)"
                                        R"("events":[{"type":"snapshot","candles":[{"start":)"} +
                              start + R"(,"high":"1","low":"1","open":"1","close":"1","volume":"1","product_id":"ETH-USD"}]}]})",
                            0, f);
    ASSERT_TRUE(bad) << start;
    EXPECT_NE(bad->what.find("candles[].start: out of range"), std::string::npos) << bad->what;
  }
}

TEST_F(ParserTest, ErrorMessage) {
  ok(R"({"type":"error","message":"authentication failure"})");
  EXPECT_EQ(f.channel, ws_channel::error);
  EXPECT_EQ(f.error, "authentication failure");
}

TEST_F(ParserTest, ReusedFrameIsClearedBetweenMessages) {
  ok(R"({"channel":"ticker","timestamp":"2026-08-09T21:05:48Z","sequence_num":1,"events":[{"type":"update",
        "tickers":[{"product_id":"BTC-USD","price":"1","best_bid":"1","best_ask":"2"}]}]})");
  ok(R"({"channel":"heartbeats","timestamp":"2026-08-09T21:05:48Z","sequence_num":2,"events":[{"heartbeat_counter":1}]})");
  EXPECT_TRUE(f.quotes.empty());
  EXPECT_EQ(f.channel, ws_channel::heartbeats);
}

TEST_F(ParserTest, BadDecimalNamesChannelAndField) {
  auto err = parser.parse(R"({"channel":"l2_data","timestamp":"2026-08-09T21:05:48Z","sequence_num":1,"events":[
        {"type":"update","product_id":"BTC-USD","updates":[{"side":"bid","price_level":"1e5","new_quantity":"1"}]}]})",
                          0, f);
  ASSERT_TRUE(err);
  EXPECT_NE(err->what.find("level2"), std::string::npos) << err->what;
  EXPECT_NE(err->what.find("price_level"), std::string::npos) << err->what;
}

TEST_F(ParserTest, MalformedJsonAndMissingSequenceAreErrors) {
  EXPECT_TRUE(parser.parse(R"({"channel":"ticker","sequence_num":)", 0, f));
  EXPECT_TRUE(parser.parse(R"({"channel":"ticker","timestamp":"2026-08-09T21:05:48Z","events":[]})", 0, f));
  EXPECT_TRUE(parser.parse(R"({"channel":"l2_data","sequence_num":1,"events":[{"type":"update","product_id":"BTC-USD",
        "updates":[{"side":"middle","price_level":"1","new_quantity":"1"}]}]})", 0, f));
  EXPECT_TRUE(parser.parse("[1,2]", 0, f));
}

TEST_F(ParserTest, UnknownChannelParsesAsUnknown) {
  ok(R"({"channel":"futures_balance_summary","timestamp":"2026-08-09T21:05:48Z","sequence_num":1,"events":[]})");
  EXPECT_EQ(f.channel, ws_channel::unknown);
}

} // namespace
} // namespace trader::feed
