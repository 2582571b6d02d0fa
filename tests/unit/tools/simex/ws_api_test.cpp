// WebSocket protocol: subscribe parsing, snapshots then updates, sequence numbers, user auth,
// and the proof that simex's messages parse with the same code as a real recording.

#include "fixtures.hpp"

#include "tools/simex/api/json_out.hpp"
#include "tools/simex/api/ws_api.hpp"
#include "tools/simex/engine/fault_plan.hpp"
#include "tools/simex/engine/market_model.hpp"
#include "tools/simex/engine/replay.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <filesystem>
#include <set>

using namespace trader;
using namespace trader::simex;
using namespace trader::simex::test;
using nlohmann::json;

namespace {

const char* recording_path = TRADER_MARKET_DATA_DIR "/coinbase_advtrade_ws_btc-usd_eth-usd.jsonl.zst";

std::optional<std::string> alice_only(std::string_view jwt) {
  return jwt == "good-jwt" ? std::optional<std::string>{"alice"} : std::nullopt;
}

std::string sub(std::string_view channel, std::string_view ids = R"(["BTC-USD"])", std::string_view extra = "") {
  return R"({"type":"subscribe","channel":")" + std::string{channel} + R"(","product_ids":)" + std::string{ids}
         + std::string{extra} + "}";
}

/// The shared field-extraction routine: flattens a Coinbase WS message into "path:type"
/// entries (arrays contribute their first element, as "path[]"), with simdjson On-Demand.
void flatten(simdjson::ondemand::value v, const std::string& path, std::set<std::string>& out) {
  simdjson::ondemand::json_type t;
  if (v.type().get(t) != simdjson::SUCCESS)
    return;
  switch (t) {
    case simdjson::ondemand::json_type::object: {
      out.insert(path + ":object");
      for (auto field : v.get_object()) {
        std::string_view key = field.unescaped_key();
        flatten(field.value(), path + "." + std::string{key}, out);
      }
      return;
    }
    case simdjson::ondemand::json_type::array: {
      out.insert(path + ":array");
      for (auto item : v.get_array()) {
        flatten(item.value(), path + "[]", out);
        break;  // the first element stands for all
      }
      return;
    }
    case simdjson::ondemand::json_type::string: out.insert(path + ":string"); return;
    case simdjson::ondemand::json_type::number: out.insert(path + ":number"); return;
    case simdjson::ondemand::json_type::boolean: out.insert(path + ":boolean"); return;
    case simdjson::ondemand::json_type::null: out.insert(path + ":null"); return;
  }
}

/// Channel and flattened fields of one message text.
std::pair<std::string, std::set<std::string>> extract(std::string_view text) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string padded{text};
  auto doc = parser.iterate(padded);
  std::set<std::string> fields;
  std::string channel;
  for (auto field : doc.get_object()) {
    std::string_view key = field.unescaped_key();
    if (key == "channel")
      channel = std::string{std::string_view{field.value().get_string()}};
    else
      flatten(field.value(), "." + std::string{key}, fields);
  }
  return {channel, fields};
}

} // namespace

TEST(WsRequest, ParsesSubscribeAndRejectsUnknownChannels) {
  std::string err;
  auto r = parse_ws_request(R"({"type":"subscribe","product_ids":["BTC-USD","ETH-USD"],"channel":"level2","jwt":"x"})", err);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->subscribe);
  EXPECT_EQ(r->channel, ws_channel::level2);
  EXPECT_EQ(r->product_ids.size(), 2u);
  EXPECT_EQ(r->jwt, "x");
  EXPECT_EQ(ws_message_channel(ws_channel::level2), "l2_data");
  EXPECT_FALSE(parse_ws_request(R"({"type":"subscribe","channel":"full"})", err));
  EXPECT_FALSE(parse_ws_request("nope", err));
}

TEST(WsSession, Level2SendsSnapshotThenUpdatesOnL2DataWithIncreasingSequence) {
  exchange ex;
  setup(ex);
  ex.place(limit("bob", side::sell, "50000.00", "1", "b1"), t0);
  ex.clear_events();
  ws_session s{ex, alice_only};
  std::vector<std::string> out;
  s.on_message(sub("level2"), t0, out);
  ASSERT_EQ(out.size(), 2u);
  auto snap = json::parse(out[0]);
  EXPECT_EQ(snap["channel"], "l2_data");
  EXPECT_EQ(snap["sequence_num"], 0);
  EXPECT_EQ(snap["events"][0]["type"], "snapshot");
  EXPECT_EQ(snap["events"][0]["updates"][0]["side"], "offer");
  EXPECT_EQ(snap["events"][0]["updates"][0]["price_level"], "50000");
  auto ack = json::parse(out[1]);
  EXPECT_EQ(ack["channel"], "subscriptions");
  EXPECT_EQ(ack["events"][0]["subscriptions"]["level2"][0], "BTC-USD");
  out.clear();
  ex.place(limit("bob", side::buy, "49000.00", "1", "b2"), t0 + 1);
  s.on_events(ex.events(), t0 + 1, out);
  ASSERT_EQ(out.size(), 1u);  // level2 only: no ticker subscription
  auto upd = json::parse(out[0]);
  EXPECT_EQ(upd["sequence_num"], 2);
  EXPECT_EQ(upd["events"][0]["type"], "update");
  EXPECT_EQ(upd["events"][0]["updates"][0]["side"], "bid");
  EXPECT_EQ(upd["events"][0]["updates"][0]["new_quantity"], "1");
}

TEST(WsSession, UserChannelNeedsAValidJwtAndShowsOnlyOwnOrders) {
  exchange ex;
  setup(ex);
  ws_session s{ex, alice_only};
  std::vector<std::string> out;
  s.on_message(R"({"type":"subscribe","channel":"user","jwt":"bad"})", t0, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(json::parse(out[0])["message"], "authentication failure");
  out.clear();
  ex.place(limit("alice", side::buy, "40000.00", "0.1", "a1"), t0);
  ex.clear_events();
  s.on_message(R"({"type":"subscribe","channel":"user","jwt":"good-jwt"})", t0, out);
  ASSERT_EQ(out.size(), 2u);
  auto snap = json::parse(out[0]);
  EXPECT_EQ(snap["events"][0]["type"], "snapshot");
  EXPECT_EQ(snap["events"][0]["orders"][0]["client_order_id"], "a1");
  EXPECT_EQ(snap["events"][0]["orders"][0]["order_type"], "Limit");
  out.clear();
  ex.place(limit("bob", side::buy, "40000.00", "0.1", "b1"), t0 + 1);
  auto& a1 = *ex.find_by_client_id("alice", "a1");
  ex.cancel("alice", a1.order_id, t0 + 2);
  s.on_events(ex.events(), t0 + 2, out);
  ASSERT_EQ(out.size(), 1u);
  auto upd = json::parse(out[0]);
  EXPECT_EQ(upd["events"][0]["orders"][0]["status"], "CANCELLED");
  EXPECT_EQ(upd["events"][0]["orders"][0]["leaves_quantity"], "0");
}

TEST(WsSession, HeartbeatsTickWithCounterAndUnsubscribeStopsThem) {
  exchange ex;
  setup(ex);
  ws_session s{ex, alice_only};
  std::vector<std::string> out;
  EXPECT_FALSE(s.has_subscribed());
  s.on_message(R"({"type":"subscribe","channel":"heartbeats"})", t0, out);
  EXPECT_TRUE(s.has_subscribed());
  out.clear();
  s.on_tick(t0 + ns_per_s, out);
  s.on_tick(t0 + 2 * ns_per_s, out);
  ASSERT_EQ(out.size(), 2u);
  auto hb = json::parse(out[1]);
  EXPECT_EQ(hb["channel"], "heartbeats");
  EXPECT_EQ(hb["events"][0]["heartbeat_counter"], 1);
  EXPECT_EQ(hb["sequence_num"].get<int>() - json::parse(out[0])["sequence_num"].get<int>(), 1);
  out.clear();
  s.on_message(R"({"type":"unsubscribe","channel":"heartbeats"})", t0, out);
  EXPECT_TRUE(json::parse(out[0])["events"][0]["subscriptions"].empty());
  out.clear();
  s.on_tick(t0 + 3 * ns_per_s, out);
  EXPECT_TRUE(out.empty());
}

// The same simdjson routine reads the real recording and simex's output; for every channel
// the recording has, simex's messages carry each recorded field with the same JSON type.
TEST(WsConformance, SimexMessagesHaveTheRecordedFieldsAndTypes) {
  if (!std::filesystem::exists(recording_path))
    GTEST_SKIP() << "recording not present: " << recording_path << " (optional shared data)";
  std::string err;
  auto rec = load_ws_recording(recording_path, err);
  ASSERT_TRUE(rec) << err;
  std::map<std::string, std::set<std::string>> real;
  for (const auto& f : rec->frames) {
    auto [ch, fields] = extract(f.data);
    if (ch != "subscriptions")
      real[ch].insert(fields.begin(), fields.end());
  }
  ASSERT_EQ(real.size(), 5u);  // l2_data, market_trades, ticker, candles, heartbeats

  exchange ex;
  synthetic_market m{ex, model_config::standard(5)};
  m.start(t0);
  ws_session s{ex, alice_only};
  std::vector<std::string> out;
  for (auto ch : {"market_trades", "candles", "ticker", "level2"})
    s.on_message(sub(ch, R"(["BTC-USD","ETH-USD"])"), t0, out);
  s.on_message(R"({"type":"subscribe","channel":"heartbeats"})", t0, out);
  ex.clear_events();
  for (int i = 1; i <= 20; ++i) {
    const ts_ns now = t0 + i * 250 * ns_per_ms;
    m.advance(now);
    s.on_events(ex.events(), now, out);
    ex.clear_events();
    if (i % 4 == 0)
      s.on_tick(now, out);
  }
  std::map<std::string, std::set<std::string>> ours;
  for (const auto& msg : out) {
    auto [ch, fields] = extract(msg);
    ours[ch].insert(fields.begin(), fields.end());
  }
  for (const auto& [ch, fields] : real) {
    ASSERT_TRUE(ours.count(ch)) << "simex sent no " << ch << " message";
    for (const auto& f : fields)
      EXPECT_TRUE(ours[ch].count(f)) << ch << " lacks " << f;
  }
}

TEST(Replay, RecordedBooksAndTradesReplayIntoTheExchange) {
  if (!std::filesystem::exists(recording_path))
    GTEST_SKIP() << "recording not present: " << recording_path << " (optional shared data)";
  std::string err;
  auto rec = load_ws_recording(recording_path, err);
  ASSERT_TRUE(rec) << err;
  exchange ex;
  ex.set_event_recording(false);
  recording_replay r{ex, std::move(*rec)};
  r.start(t0);
  r.advance(t0 + 60 * ns_per_s);
  EXPECT_TRUE(r.finished());
  const auto* b = ex.book("BTC-USD");
  ASSERT_NE(b, nullptr);
  ASSERT_TRUE(b->best(side::buy) && b->best(side::sell));
  EXPECT_LT(*b->best(side::buy), *b->best(side::sell));
  EXPECT_NEAR(b->best(side::buy)->to_double(), 65085, 100);
  EXPECT_FALSE(ex.stats("ETH-USD")->trades(0, 0, 10).empty());
  EXPECT_EQ(ex.find_product("BTC-USD")->quote_increment, px("0.01"));
}

TEST(JsonOut, EscapesStringsAndSeparatesValues) {
  std::string buf;
  json_out j{buf};
  j.begin_object().kv("a", "x\"y\\z\n\x01").key("b").begin_array().num(1).dec(150'000'000).dec(100'000'000, 2);
  j.end_array().kb("c", true).end_object();
  EXPECT_EQ(buf, R"({"a":"x\"y\\z\n\u0001","b":[1,"1.5","1.00"],"c":true})");
  EXPECT_EQ(json::parse(buf)["a"], "x\"y\\z\n\x01");
}

namespace {

/// Every WS frame a client subscribed to all market channels would receive.
std::string ws_transcript(std::uint64_t seed) {
  exchange ex{exchange_config{.seed = seed}};
  synthetic_market m{ex, model_config::standard(seed)};
  m.start(t0);
  ws_session s{ex, alice_only};
  std::vector<std::string> out;
  for (auto ch : {"market_trades", "ticker", "level2"})
    s.on_message(sub(ch, R"(["BTC-USD","ETH-USD","SOL-USD"])"), t0, out);
  ex.clear_events();
  for (int i = 1; i <= 40; ++i) {
    const ts_ns now = t0 + i * 250 * ns_per_ms;
    m.advance(now);
    s.on_events(ex.events(), now, out);
    ex.clear_events();
  }
  std::string all;
  for (const auto& f : out)
    all += f + "\n";
  return all;
}

} // namespace

TEST(WsSession, SameSeedGivesByteIdenticalFeed) {
  const auto a = ws_transcript(11);
  EXPECT_EQ(a, ws_transcript(11));
  EXPECT_NE(a, ws_transcript(12));
  EXPECT_GT(a.size(), 10'000u);
}

TEST(WsRequest, WrongFieldTypesAreErrorsNotExceptions) {
  std::string err;
  EXPECT_FALSE(parse_ws_request(R"({"type":1,"channel":"level2"})", err));
  EXPECT_FALSE(parse_ws_request(R"({"type":"subscribe","channel":["level2"]})", err));
  EXPECT_FALSE(parse_ws_request(R"({"type":"subscribe","channel":"level2","product_ids":[1]})", err));
}

TEST(WsSession, StatusChannelSnapshotsAndReportsFlips) {
  exchange ex;
  setup(ex);
  ws_session s{ex, alice_only};
  std::vector<std::string> out;
  s.on_message(sub("status"), t0, out);
  ASSERT_EQ(out.size(), 2u);
  auto snap = json::parse(out[0]);
  EXPECT_EQ(snap["channel"], "status");
  EXPECT_EQ(snap["events"][0]["products"][0]["status"], "online");
  EXPECT_EQ(snap["events"][0]["products"][0]["min_market_funds"], "1");
  out.clear();
  ex.clear_events();
  ex.set_status("BTC-USD", product_status::cancel_only, t0 + 1);
  s.on_events(ex.events(), t0 + 1, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(json::parse(out[0])["events"][0]["products"][0]["status"], "cancel_only");
}

TEST(WsSession, TickerBatchHasNoBestBidAsk) {
  exchange ex;
  setup(ex);
  ex.place(limit("bob", side::sell, "50000.00", "1", "b1"), t0);
  ws_session s{ex, alice_only};
  std::vector<std::string> out;
  s.on_message(sub("ticker_batch"), t0, out);
  auto t = json::parse(out[0]);
  EXPECT_EQ(t["channel"], "ticker_batch");
  EXPECT_FALSE(t["events"][0]["tickers"][0].contains("best_bid"));
  EXPECT_TRUE(t["events"][0]["tickers"][0].contains("price"));
}

TEST(WsSession, FaultFilterSuppressesWithoutGapSkipsWithGapAndReorders) {
  exchange ex;
  setup(ex);
  ws_session s{ex, alice_only};
  fault_plan plan{{fault_rule{.kind = fault_kind::stale_quotes, .duration = 10 * ns_per_s},
                   fault_rule{.kind = fault_kind::sequence_gap, .start = 20 * ns_per_s, .channel = "heartbeats",
                              .count = 1},
                   fault_rule{.kind = fault_kind::out_of_order_update, .start = 30 * ns_per_s, .count = 1}}};
  plan.set_origin(t0);
  ts_ns now = t0;
  s.set_filter([&](std::string_view ch, std::string_view id) { return plan.on_ws_message(ch, id, now); });
  std::vector<std::string> out;
  s.on_message(sub("ticker"), now, out);  // the snapshot is withheld (stale), the ack is not
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(json::parse(out[0])["channel"], "subscriptions");
  EXPECT_EQ(json::parse(out[0])["sequence_num"], 0);  // no gap for a withheld frame
  s.on_message(R"({"type":"subscribe","channel":"heartbeats"})", now, out);
  now = t0 + 20 * ns_per_s;
  out.clear();
  s.on_tick(now, out);  // burnt: a gap
  s.on_tick(now, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(json::parse(out[0])["sequence_num"], 3);  // 1 = ack, 2 = burnt
  s.on_message(R"({"type":"subscribe","channel":"user","jwt":"good-jwt"})", now, out);
  out.clear();
  now = t0 + 30 * ns_per_s;
  ex.place(limit("alice", side::buy, "40000.00", "0.1", "a1"), now);
  ex.place(limit("alice", side::buy, "40000.00", "0.1", "a2"), now);
  s.on_events(ex.events(), now, out);
  std::vector<std::string> user_ids;
  for (const auto& f : out) {
    auto m = json::parse(f);
    if (m["channel"] == "user")
      user_ids.push_back(m["events"][0]["orders"][0]["client_order_id"]);
  }
  EXPECT_EQ(user_ids, (std::vector<std::string>{"a2", "a1"}));  // held back, sent after the next
}
