// Fuzz target: the hot-path WebSocket parser (actors/exchange/feed/ws_parser.hpp), one
// reused parser over many messages as the feed uses it. The input is split at 0x1e (ASCII
// record separator) into successive messages, so reuse of the padded buffer is exercised.
#include "actors/exchange/feed/ws_parser.hpp"

#include <cstdint>
#include <string_view>

using namespace trader;
using namespace trader::feed;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ws_parser parser;  // reused across inputs, like the feed's
  std::string_view all(reinterpret_cast<const char*>(data), size);
  ws_frame frame;
  ts_ns recv = 1'786'309'548LL * ns_per_s;
  while (true) {
    auto cut = all.find('\x1e');
    auto msg = all.substr(0, cut);
    (void)parser.parse(msg, recv, frame);
    (void)feed_product(msg.substr(0, 32));
    (void)parse_product_state(msg.substr(0, 16));
    (void)parse_order_state(msg.substr(0, 16), !msg.empty() && (msg[0] & 1));
    if (cut == std::string_view::npos)
      break;
    all.remove_prefix(cut + 1);
    recv += 1000;
  }
  return 0;
}
