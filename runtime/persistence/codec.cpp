#include "runtime/persistence/codec.hpp"

#include "runtime/persistence/crc32c.hpp"

#include <cstring>

namespace trader::persistence {

void byte_writer::u16(std::uint16_t v) {
  for (int i = 0; i < 2; ++i)
    out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

void byte_writer::u32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

void byte_writer::u64(std::uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out_.push_back(static_cast<char>((v >> (8 * i)) & 0xFFu));
}

void byte_writer::str(std::string_view s) {
  u32(static_cast<std::uint32_t>(s.size()));
  out_.append(s);
}

void byte_reader::fail(std::string why) {
  if (ok_)
    why_ = std::move(why);
  ok_ = false;
}

bool byte_reader::take(std::size_t n, const char*& p) {
  if (!ok_)
    return false;
  if (in_.size() - pos_ < n) {
    fail("truncated");
    return false;
  }
  p = in_.data() + pos_;
  pos_ += n;
  return true;
}

namespace {
template <class U>
U load_le(const char* p) {
  U v = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i)
    v |= static_cast<U>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
} // namespace

bool byte_reader::u8(std::uint8_t& v) {
  const char* p;
  if (!take(1, p))
    return false;
  v = static_cast<std::uint8_t>(*p);
  return true;
}

bool byte_reader::u16(std::uint16_t& v) {
  const char* p;
  if (!take(2, p))
    return false;
  v = load_le<std::uint16_t>(p);
  return true;
}

bool byte_reader::u32(std::uint32_t& v) {
  const char* p;
  if (!take(4, p))
    return false;
  v = load_le<std::uint32_t>(p);
  return true;
}

bool byte_reader::u64(std::uint64_t& v) {
  const char* p;
  if (!take(8, p))
    return false;
  v = load_le<std::uint64_t>(p);
  return true;
}

bool byte_reader::i64(std::int64_t& v) {
  std::uint64_t u;
  if (!u64(u))
    return false;
  v = static_cast<std::int64_t>(u);
  return true;
}

bool byte_reader::boolean(bool& v) {
  std::uint8_t b;
  if (!u8(b))
    return false;
  if (b > 1) {
    fail("bad boolean");
    return false;
  }
  v = b == 1;
  return true;
}

bool byte_reader::str(std::string& s, std::uint32_t max_len) {
  std::uint32_t n;
  if (!u32(n))
    return false;
  if (n > max_len) {
    fail("string too long");
    return false;
  }
  const char* p;
  if (!take(n, p))
    return false;
  s.assign(p, n);
  return true;
}

std::string frame(std::string_view key, std::uint16_t version, std::string_view payload) {
  byte_writer w;
  w.u16(version);
  std::string out = w.take();
  out.append(payload);
  auto crc = crc32c(crc32c(0, key.data(), key.size()), out.data(), out.size());
  byte_writer tail;
  tail.u32(crc);
  out.append(tail.bytes());
  return out;
}

result<frame_view> unframe(std::string_view db, std::string_view key, std::string_view value) {
  if (value.size() < 6)
    return make_error(store_errc::decode_failed, "truncated record (" + std::to_string(value.size()) + " bytes)",
                      std::string(db), printable_key(key));
  auto body = value.substr(0, value.size() - 4);
  auto stored = load_le<std::uint32_t>(value.data() + value.size() - 4);
  auto crc = crc32c(crc32c(0, key.data(), key.size()), body.data(), body.size());
  if (crc != stored)
    return make_error(store_errc::decode_failed, "checksum mismatch", std::string(db), printable_key(key));
  return frame_view{load_le<std::uint16_t>(body.data()), body.substr(2)};
}

std::string printable_key(std::string_view key) {
  bool printable = !key.empty();
  for (unsigned char c : key)
    printable = printable && c >= 0x20 && c < 0x7F;
  if (printable)
    return std::string(key);
  static const char* hex = "0123456789abcdef";
  std::string out = "0x";
  for (unsigned char c : key) {
    out.push_back(hex[c >> 4]);
    out.push_back(hex[c & 0xF]);
  }
  return out;
}

} // namespace trader::persistence
