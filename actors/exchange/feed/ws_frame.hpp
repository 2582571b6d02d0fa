#pragma once
// What one Coinbase Advanced Trade WebSocket message says, as typed messages
// (messages/market.hpp, messages/orders.hpp). Produced by ws_parser; no CAF.

#include "messages/market.hpp"
#include "messages/orders.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace trader::feed {

/// The envelope's `channel` (level2 arrives as "l2_data"); `error` for {"type":"error"}.
enum class ws_channel : std::uint8_t {
  unknown,
  heartbeats,
  ticker,
  ticker_batch,
  level2,
  market_trades,
  candles,
  status,
  user,
  subscriptions,
  error,
};

/// "heartbeats", "ticker", …, "level2" (the subscribe name), "error".
const char* to_string(ws_channel c);

/// One parsed message. The vectors are cleared, not freed, between messages (ws_parser
/// reuses one frame), so steady-state parsing allocates only what the messages own.
struct ws_frame {
  ws_channel channel = ws_channel::unknown;
  std::int64_t sequence = -1;  ///< sequence_num; -1 when absent (errors)
  ts_ns ts_event = 0;          ///< envelope timestamp (exchange time)
  ts_ns ts_recv = 0;           ///< when the frame came off the socket
  bool snapshot = false;       ///< any event of type "snapshot"
  std::vector<quote> quotes;
  std::vector<book_update> books;
  std::vector<market_trade> trades;
  std::vector<candle> candles;
  std::vector<product_status> statuses;
  std::vector<order_update> orders;
  std::int64_t heartbeat_counter = -1;
  std::string error;  ///< {"type":"error","message":…} text

  void clear();
};

} // namespace trader::feed
