#pragma once
// A blocking WebSocket client (ws:// loopback only, wss:// verified like https_client),
// meant for one dedicated reader thread: connect, send text, read() with a deadline,
// ping/pong, clean close. Pings from the server are answered while read() runs, so read
// regularly. Not thread-safe; never call it from a CAF scheduler thread.

#include "runtime/net/http_types.hpp"

#include <memory>

namespace trader::net {

/// One received data message.
struct ws_message {
  std::string text;
  bool binary = false;
};

/// One WebSocket connection.
class ws_client {
public:
  explicit ws_client(client_options opts = {});
  ~ws_client();
  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  /// Connects and upgrades (TCP, TLS and WS handshakes within opts.connect_timeout).
  /// url: "wss://advanced-trade-ws.coinbase.com" or "ws://127.0.0.1:PORT/". nullopt = ok.
  std::optional<transport_error> connect(std::string_view url, const header_list& headers = {});
  /// Sends one text message (within opts.request_timeout).
  std::optional<transport_error> send_text(std::string_view text);
  /// The next message, or transport_errc::timeout when none arrived within timeout; a
  /// timeout leaves the connection usable (the read stays pending for the next call).
  /// A close by the server is transport_errc::closed.
  result<ws_message> read(std::chrono::milliseconds timeout);
  /// Sends a ping; the pong is counted by pongs_received() during later read() calls.
  std::optional<transport_error> ping(std::string_view payload = {});
  std::uint64_t pongs_received() const;
  /// Sends a close frame and waits (≤ opts.request_timeout) for the server's; then closes.
  void close();
  bool is_open() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace trader::net
