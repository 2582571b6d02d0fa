#pragma once
// The WebSocket reader thread shared by market_data and user_stream: connect, send the
// subscribe messages, read frames and hand them to a callback, reconnect with full-jitter
// backoff (exchange::backoff) when the socket fails or goes silent, stop (and join) on
// request. Owns its net::ws_client, so the blocking client never runs on a CAF scheduler
// thread. No CAF.

#include "messages/time.hpp"
#include "runtime/clock.hpp"
#include "actors/exchange/coinbase/backoff.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace trader::net {
class ws_client;
}

namespace trader::feed {

struct ws_reader_options {
  std::string url;
  std::string ca_file;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds read_poll{100};      ///< how often a blocked read looks at stop()
  std::chrono::milliseconds silence_limit{30000}; ///< no frame at all (not even heartbeats): reconnect
  std::chrono::milliseconds backoff_base{250};
  std::chrono::milliseconds backoff_cap{30000};
  std::uint64_t seed = 0;

  /// The connection settings every feed's options share (market_data_options,
  /// user_stream_options), with the silence limit that feed needs.
  template <class FeedOptions>
  static ws_reader_options of(const FeedOptions& o, std::chrono::milliseconds silence) {
    ws_reader_options ro;
    ro.url = o.ws_url;
    ro.ca_file = o.ca_file;
    ro.connect_timeout = o.connect_timeout;
    ro.read_poll = o.read_poll;
    ro.backoff_base = o.backoff_base;
    ro.backoff_cap = o.backoff_cap;
    ro.silence_limit = silence;
    ro.seed = o.seed;
    return ro;
  }
};

/// Callbacks, all run on the reader thread.
struct ws_reader_hooks {
  /// The messages to send after each connect (called per connect: JWTs must be fresh).
  std::function<std::vector<std::string>()> subscribe_messages;
  std::function<void(ts_ns at)> on_connected;
  /// A frame as read; `recv` is the wall time right after read() returned.
  std::function<void(std::string_view text, ts_ns recv)> on_frame;
  /// The socket failed or was dropped; `at` is when we noticed.
  std::function<void(const std::string& why, ts_ns at)> on_disconnected;
};

class ws_reader {
public:
  ws_reader(ws_reader_options opts, ws_reader_hooks hooks, const time_source& clock = system_time_source::instance());
  ~ws_reader();  ///< stop()s
  ws_reader(const ws_reader&) = delete;
  ws_reader& operator=(const ws_reader&) = delete;

  void start();
  /// Asks the thread to end and joins it: bounded by read_poll, or connect_timeout while
  /// a connect is in progress.
  void stop();

  /// Reader thread only (inside on_frame): sends on the open socket; false if it failed.
  bool send(std::string_view text);
  /// Any thread: queues text for the reader thread, which sends it within read_poll. Dropped
  /// when the connection is lost first (the next connect's subscribes cover it).
  void post(std::string text);
  /// Any thread: drop the connection and reconnect (after backoff).
  void reconnect(std::string why);

  std::uint64_t connects() const { return connects_.load(); }

private:
  void run();
  bool sleep_for(std::chrono::milliseconds d);  ///< false when stopped meanwhile
  /// Reader thread: sends what post() queued; the reason to reconnect, if one was asked for.
  std::string drain();

  ws_reader_options opts_;
  ws_reader_hooks hooks_;
  const time_source& clock_;
  exchange::backoff backoff_;  ///< full jitter (actors/exchange/coinbase/backoff.hpp)
  int retry_ = 0;              ///< failed connects since the last connection that delivered data
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mtx_;
  std::condition_variable cv_;
  net::ws_client* client_ = nullptr;  ///< valid on the reader thread while connected
  std::atomic<bool> pending_{false};  ///< outbox_ or reconnect_why_ has something (cheap check per frame)
  std::vector<std::string> outbox_;   ///< guarded by mtx_
  std::string reconnect_why_;         ///< guarded by mtx_
  std::atomic<std::uint64_t> connects_{0};
};

} // namespace trader::feed
