#pragma once
// RFC 6455 framing for the simex server: after the HTTP upgrade simex writes frames itself,
// many per socket write (the ≥ 500k messages/s target rules out one syscall per message),
// and parses the small masked frames clients send.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace trader::simex::transport {

/// Frame opcodes.
enum class ws_opcode : std::uint8_t {
  continuation = 0x0,
  text = 0x1,
  binary = 0x2,
  close = 0x8,
  ping = 0x9,
  pong = 0xA,
};

/// base64(SHA-1(key + GUID)): the Sec-WebSocket-Accept value for a client's key.
std::string ws_accept_key(std::string_view client_key);

/// Appends one unmasked, final frame (server → client).
void ws_append_frame(std::string& out, ws_opcode op, std::string_view payload);

/// One parsed frame; payload points into the caller's buffer (already unmasked).
struct ws_frame {
  ws_opcode opcode = ws_opcode::text;
  bool fin = true;
  std::string_view payload;
};

/// Outcome of ws_parse_frame.
enum class ws_parse { ok, need_more, error };

/// Parses the frame at data[0..len): on ok sets frame and consumed (bytes of the whole
/// frame) and unmasks the payload in place. require_mask: client frames must be masked
/// (server side); max_payload bounds a frame.
ws_parse ws_parse_frame(char* data, std::size_t len, bool require_mask, std::size_t max_payload,
                        ws_frame& frame, std::size_t& consumed);

} // namespace trader::simex::transport
