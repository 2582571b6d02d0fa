#include "actors/exchange/feed/user_feed.hpp"

#include "actors/exchange/feed/ws_requests.hpp"
#include "runtime/net/jwt.hpp"

#include <fmt/format.h>

namespace trader::feed {

const user_feed::effects& user_feed::on_frame(std::string_view text, ts_ns recv) {
  fx_ = effects{};
  frame_.orders.clear();
  fx_.orders = &frame_.orders;
  if (auto err = parser_.parse(text, recv, frame_)) {
    frame_.orders.clear();  // a half-read message passes nothing on
    fx_.parse_error = true;
    fx_.lost = "unparseable message: " + err->what;
    return fx_;
  }
  if (frame_.channel == ws_channel::error) {
    fx_.rejected = frame_.error;
    return fx_;
  }
  if (frame_.channel == ws_channel::unknown)
    return fx_;
  auto s = seq_.observe(frame_.sequence);
  if (s.v == sequence_tracker::verdict::old) {
    frame_.orders.clear();  // already past it
    return fx_;
  }
  if (s.v == sequence_tracker::verdict::gap)
    fx_.lost = fmt::format("sequence gap: expected {} got {}", s.expected, frame_.sequence);
  return fx_;
}

std::vector<std::string> user_feed::subscribe_messages(const net::api_key* credentials, ts_ns now) {
  std::string jwt = credentials ? net::sign_ws_jwt(*credentials, now) : std::string{};
  return {subscribe_message("heartbeats", {}), subscribe_message("user", {}, jwt)};
}

} // namespace trader::feed
