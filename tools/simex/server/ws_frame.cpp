#include "tools/simex/server/ws_frame.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstring>

namespace trader::simex::transport {

std::string ws_accept_key(std::string_view client_key) {
  static constexpr std::string_view guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  std::string in(client_key);
  in += guid;
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
  unsigned char out[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  int n = EVP_EncodeBlock(out, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
}

void ws_append_frame(std::string& out, ws_opcode op, std::string_view payload) {
  char hdr[10];
  std::size_t n = 0;
  hdr[n++] = static_cast<char>(0x80 | static_cast<std::uint8_t>(op));
  auto len = payload.size();
  if (len < 126) {
    hdr[n++] = static_cast<char>(len);
  } else if (len <= 0xFFFF) {
    hdr[n++] = 126;
    hdr[n++] = static_cast<char>(len >> 8);
    hdr[n++] = static_cast<char>(len & 0xFF);
  } else {
    hdr[n++] = 127;
    for (int i = 7; i >= 0; --i)
      hdr[n++] = static_cast<char>((static_cast<std::uint64_t>(len) >> (8 * i)) & 0xFF);
  }
  out.append(hdr, n);
  out.append(payload);
}

ws_parse ws_parse_frame(char* data, std::size_t len, bool require_mask, std::size_t max_payload,
                        ws_frame& frame, std::size_t& consumed) {
  if (len < 2)
    return ws_parse::need_more;
  auto b0 = static_cast<std::uint8_t>(data[0]);
  auto b1 = static_cast<std::uint8_t>(data[1]);
  if (b0 & 0x70)
    return ws_parse::error;  // RSV bits: no extension was negotiated
  bool masked = (b1 & 0x80) != 0;
  if (masked != require_mask)
    return ws_parse::error;
  std::size_t pos = 2;
  std::uint64_t plen = b1 & 0x7F;
  if (plen == 126) {
    if (len < 4)
      return ws_parse::need_more;
    plen = (static_cast<std::uint64_t>(static_cast<std::uint8_t>(data[2])) << 8)
           | static_cast<std::uint8_t>(data[3]);
    pos = 4;
  } else if (plen == 127) {
    if (len < 10)
      return ws_parse::need_more;
    plen = 0;
    for (int i = 0; i < 8; ++i)
      plen = (plen << 8) | static_cast<std::uint8_t>(data[2 + i]);
    pos = 10;
  }
  if (plen > max_payload)
    return ws_parse::error;
  std::uint8_t mask[4] = {0, 0, 0, 0};
  if (masked) {
    if (len < pos + 4)
      return ws_parse::need_more;
    std::memcpy(mask, data + pos, 4);
    pos += 4;
  }
  if (len < pos + plen)
    return ws_parse::need_more;
  char* payload = data + pos;
  if (masked)
    for (std::size_t i = 0; i < plen; ++i)
      payload[i] = static_cast<char>(payload[i] ^ mask[i & 3]);
  frame.opcode = static_cast<ws_opcode>(b0 & 0x0F);
  frame.fin = (b0 & 0x80) != 0;
  frame.payload = std::string_view(payload, static_cast<std::size_t>(plen));
  consumed = pos + static_cast<std::size_t>(plen);
  return ws_parse::ok;
}

} // namespace trader::simex::transport
