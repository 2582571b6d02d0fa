#pragma once
// The user channel's frames, apart from the user_stream actor (no CAF): parse, sequence
// check, and what each frame means — order updates to pass on, a loss (gap or unparseable
// message) to recover from, or the exchange refusing the subscription. Reader thread only.

#include "actors/exchange/feed/feed_state.hpp"
#include "actors/exchange/feed/ws_frame.hpp"
#include "actors/exchange/feed/ws_parser.hpp"
#include "runtime/net/api_key.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace trader::feed {

class user_feed {
public:
  /// What one frame means.
  struct effects {
    const std::vector<order_update>* orders = nullptr;  ///< to pass on (the frame's; never null)
    std::string lost;      ///< non-empty: updates were missed (why)
    std::string rejected;  ///< non-empty: the exchange's error message
    bool parse_error = false;
  };

  /// One frame off the socket; the result lives until the next call.
  const effects& on_frame(std::string_view text, ts_ns recv);
  /// A new connection: its sequence starts afresh.
  void on_connected() { seq_.reset(); }
  /// heartbeats plus user with a fresh WS JWT (signed at now); no JWT without credentials.
  static std::vector<std::string> subscribe_messages(const net::api_key* credentials, ts_ns now);

private:
  ws_parser parser_;
  ws_frame frame_;
  sequence_tracker seq_;
  effects fx_;
};

} // namespace trader::feed
