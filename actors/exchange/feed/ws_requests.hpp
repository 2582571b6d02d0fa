#pragma once
// Client → server WebSocket messages (coinbase-api.md §4): one channel per message; the
// user channel carries a fresh WS JWT (runtime/net/jwt.hpp sign_ws_jwt, no `uri` claim).

#include "messages/ids.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace trader::feed {

/// {"type":"subscribe","product_ids":[…],"channel":…[,"jwt":…]}; product_ids omitted when
/// empty (heartbeats, user); jwt omitted when empty.
std::string subscribe_message(std::string_view channel, const std::vector<product_id>& products,
                              std::string_view jwt = {});
/// The same with "type":"unsubscribe".
std::string unsubscribe_message(std::string_view channel, const std::vector<product_id>& products,
                                std::string_view jwt = {});

} // namespace trader::feed
