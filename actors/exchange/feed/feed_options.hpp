#pragma once
// Settings of the market_data and user_stream actors (no CAF).

#include "messages/ids.hpp"
#include "runtime/clock.hpp"
#include "runtime/net/api_key.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string_view>
#include <string>
#include <vector>

namespace prometheus {
class Registry;
}

namespace trader::feed {

/// Bench and test hook: with one set, market_data (or user_stream) opens no socket and fills `push` with
/// its reader path (parse, sequence check, books, fan-out), so frames handed to it take
/// exactly the route a socket's frames take. Push from one thread, while the actor lives.
/// The actor counts as connected from its start.
struct frame_injector {
  std::function<void(std::string_view text, ts_ns recv)> push;
  /// What the actor would write on the socket (resubscribes); may be empty. Any thread.
  std::function<void(std::string_view text)> sent;
  /// The actor would drop the connection and reconnect, because of `why`; may be empty.
  std::function<void(std::string_view why)> reconnect;
};

/// market_data: one WebSocket connection for the public channels.
struct market_data_options {
  std::string ws_url = "wss://advanced-trade-ws.coinbase.com";
  std::string ca_file;                   ///< PEM bundle to trust for wss; "" = system store
  std::vector<product_id> products;      ///< canonical ids, e.g. BTC-USD
  /// Subscribe names; heartbeats keeps quiet channels open (coinbase-api.md §4).
  std::vector<std::string> channels = {"heartbeats", "ticker", "level2", "market_trades", "candles", "status"};
  std::chrono::milliseconds max_age{10000};        ///< a product without data this long is stale
  std::chrono::milliseconds check_interval{0};     ///< staleness check period; 0 = max_age / 4
  std::chrono::milliseconds backoff_base{250};     ///< reconnect backoff (full jitter)
  std::chrono::milliseconds backoff_cap{30000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_poll{100};        ///< reader wakes this often to see stop requests
  /// A level2 snapshot not here this long after its (re)subscription is asked for again.
  std::chrono::milliseconds snapshot_timeout{5000};
  std::chrono::milliseconds retry_base{1000};      ///< recovery retries: full jitter from here…
  std::chrono::milliseconds retry_cap{30000};      ///< …doubling up to here
  /// Resubscriptions of a product before a miss reconnects instead (then again as many).
  int resubscribes_before_reconnect = 3;
  std::uint64_t seed = 0;                          ///< jitter seed; 0 = from the clock
  prometheus::Registry* metrics = nullptr;         ///< trader_market_data_*; null = not exported
  const time_source* clock = nullptr;              ///< staleness and timestamps; null = system
  std::shared_ptr<frame_injector> injector;        ///< bench/test: frames from here, no socket
};

/// user_stream: one authenticated WebSocket connection for the user channel.
struct user_stream_options {
  std::string ws_url = "wss://advanced-trade-ws.coinbase.com";
  std::string ca_file;
  std::shared_ptr<const net::api_key> credentials;  ///< signs the subscribe JWT; never logged
  std::chrono::milliseconds backoff_base{250};
  std::chrono::milliseconds backoff_cap{30000};
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_poll{100};
  /// The REST re-read after a reconnect starts this long before the disconnect (clock
  /// skew between us and the exchange, and fills stamped just before the drop).
  std::chrono::milliseconds reread_margin{60000};
  std::chrono::milliseconds rest_timeout{30000};   ///< for the fills / orders requests
  std::chrono::milliseconds retry_base{1000};      ///< a failed re-read is retried: full jitter from here…
  std::chrono::milliseconds retry_cap{30000};      ///< …doubling up to here
  std::uint64_t seed = 0;
  prometheus::Registry* metrics = nullptr;          ///< trader_user_stream_*; null = not exported
  const time_source* clock = nullptr;               ///< timestamps; null = system
  std::shared_ptr<frame_injector> injector;         ///< test: frames from here, no socket
};

} // namespace trader::feed
