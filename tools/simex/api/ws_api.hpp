#pragma once
// Coinbase Advanced Trade WebSocket protocol without sockets: subscribe/unsubscribe parsing,
// message builders that format JSON straight into a reused buffer, and ws_session, the
// per-connection state (subscriptions, sequence_num) that turns exchange events into frames.

#include "tools/simex/engine/events.hpp"
#include "tools/simex/engine/fault_plan.hpp"
#include "tools/simex/engine/market_stats.hpp"
#include "tools/simex/engine/product.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trader::simex {

class exchange;

/// Channels a client can subscribe to (subscribe names).
enum class ws_channel : std::uint8_t { heartbeats, ticker, ticker_batch, level2, market_trades, candles, status, user };
/// Subscribe name ("level2"); ws_message_channel gives the name in messages ("l2_data").
std::string_view to_wire(ws_channel c);
std::string_view ws_message_channel(ws_channel c);

/// A client's subscribe or unsubscribe message.
struct ws_request {
  bool subscribe = true;
  ws_channel channel = ws_channel::heartbeats;
  std::vector<std::string> product_ids;
  std::string jwt;  ///< "" when absent.
};

/// Parses a client frame; nullopt with error set ("failure to subscribe" text) when invalid.
std::optional<ws_request> parse_ws_request(std::string_view text, std::string& error);

/// One level of a book side for l2 snapshots.
struct l2_level {
  side book_side;
  price px;
  size qty;
};

/// Formats server messages into one reused buffer; each call returns a view valid until
/// the next call. Envelope: {"channel","client_id":"","timestamp","sequence_num","events"}.
class ws_writer {
public:
  std::string_view heartbeat(ts_ns now, std::uint64_t seq, std::int64_t counter);
  std::string_view ticker(const ticker_change& t, bool snapshot, ts_ns now, std::uint64_t seq,
                          ws_channel channel = ws_channel::ticker);
  std::string_view l2_snapshot(std::string_view product_id, std::span<const l2_level> levels, ts_ns now,
                               std::uint64_t seq);
  std::string_view l2_update(std::string_view product_id, std::span<const book_change> changes, ts_ns now,
                             std::uint64_t seq);
  std::string_view l2_update(std::string_view product_id, std::span<const book_change* const> changes, ts_ns now,
                             std::uint64_t seq);
  std::string_view market_trades(std::span<const trade_print* const> trades, bool snapshot, ts_ns now,
                                 std::uint64_t seq);
  /// Candles of 5-minute buckets (the WS channel's only granularity).
  std::string_view candles(std::string_view product_id, std::span<const candle> bars, bool snapshot,
                           ts_ns now, std::uint64_t seq);
  std::string_view status(std::span<const product* const> products, bool snapshot, ts_ns now,
                          std::uint64_t seq);
  std::string_view user(std::span<const order_record* const> orders, bool snapshot, ts_ns now, std::uint64_t seq);
  /// {"channel":"subscriptions",…,"events":[{"subscriptions":{name:[ids]}}]}.
  std::string_view subscriptions(const std::map<std::string, std::vector<std::string>>& subs, ts_ns now,
                                 std::uint64_t seq);
  /// {"type":"error","message":…}.
  std::string_view error(std::string_view message);
  /// Benchmark frame (the transport's POST /ws/flood): an l2_data update of one BTC-USD level
  /// with a fixed timestamp, padded with a "pad" field to about size bytes.
  std::string_view flood(std::uint64_t seq, std::size_t size);

private:
  void open(std::string_view channel, ts_ns now, std::uint64_t seq);
  std::string buf_;
  std::string flood_tail_;       ///< Everything after sequence_num, for flood_size_.
  std::size_t flood_size_ = 0;
};

/// One WebSocket connection's protocol state.
class ws_session {
public:
  /// Verifies a WS JWT; returns the user it authenticates, or nullopt.
  using jwt_check = std::function<std::optional<std::string>(std::string_view jwt)>;

  ws_session(const exchange& ex, jwt_check check);

  /// A client text frame: (un)subscribe, snapshots, subscriptions ack or error frames.
  void on_message(std::string_view text, ts_ns now, std::vector<std::string>& out);
  /// Exchange events (drained by the transport, same order for every session).
  void on_events(std::span<const event> events, ts_ns now, std::vector<std::string>& out);
  /// Once per second: heartbeats, candle updates; status every status_interval.
  void on_tick(ts_ns now, std::vector<std::string>& out);
  /// True once any subscribe succeeded (the 5 s subscribe deadline).
  bool has_subscribed() const { return has_subscribed_; }
  /// sequence_num of the next frame.
  std::uint64_t next_sequence() const { return seq_; }
  /// Burns one sequence number (the sequence-gap fault).
  void skip_sequence() { ++seq_; }
  /// Decides each outgoing frame's fate (fault injection) before it is numbered, given its
  /// message channel and product ("" when none); e.g. bind fault_plan::on_ws_message.
  using frame_filter = std::function<ws_decision(std::string_view channel, std::string_view product_id)>;
  void set_filter(frame_filter f) { filter_ = std::move(f); }
  /// True once the filter asked to close the connection (ws_drop); nothing is sent after.
  bool closed() const { return closed_; }

private:
  bool wants(ws_channel c, std::string_view product_id) const;
  void snapshot(ws_channel c, const std::vector<std::string>& ids, ts_ns now, std::vector<std::string>& out);
  void push(std::string_view frame, std::string_view channel, std::string_view product_id,
            std::vector<std::string>& out);

  const exchange& ex_;
  jwt_check check_;
  ws_writer w_;
  std::map<ws_channel, std::set<std::string, std::less<>>> subs_;
  std::vector<const book_change*> l2_batch_;     ///< Reused per on_events().
  std::vector<const trade_print*> trade_batch_;  ///< Reused per on_events().
  std::string user_;
  std::uint64_t seq_ = 0;
  std::int64_t heartbeat_counter_ = 0;
  ts_ns last_status_ = 0;
  bool has_subscribed_ = false;
  frame_filter filter_;
  std::vector<std::pair<std::string, std::string>> deferred_;  ///< (channel, frame) held back.
  bool closed_ = false;
};

} // namespace trader::simex
