#pragma once
// Explicit, versioned binary encoding of stored records (not CAF's serializer).
//
// A stored value is  [format version u16][payload][crc32c u32], little-endian. The checksum
// covers the record's key, the version and the payload, so a flipped bit in either the key
// or the value is caught. Strings are [u32 length][bytes]. Decoders reject truncation,
// trailing bytes, a bad checksum and unknown versions.

#include "runtime/persistence/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace trader::persistence {

/// Appends little-endian fields to a byte string.
class byte_writer {
public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  /// [u32 length][bytes].
  void str(std::string_view s);
  /// The bytes written so far.
  const std::string& bytes() const { return out_; }
  std::string take() { return std::move(out_); }

private:
  std::string out_;
};

/// Reads little-endian fields; after the first failure every read fails and ok() is false.
class byte_reader {
public:
  explicit byte_reader(std::string_view in) : in_(in) {}
  bool u8(std::uint8_t& v);
  bool u16(std::uint16_t& v);
  bool u32(std::uint32_t& v);
  bool u64(std::uint64_t& v);
  bool i64(std::int64_t& v);
  /// Accepts only 0 or 1.
  bool boolean(bool& v);
  /// Length-prefixed; fails if the length runs past the end or exceeds max_len.
  bool str(std::string& s, std::uint32_t max_len = 1u << 20);
  bool ok() const { return ok_; }
  /// True when every byte was consumed and nothing failed.
  bool done() const { return ok_ && pos_ == in_.size(); }
  /// Why it failed ("truncated", "bad boolean"...).
  const std::string& why() const { return why_; }
  /// Marks the reader failed with a reason (for semantic checks such as enum ranges).
  void fail(std::string why);

private:
  bool take(std::size_t n, const char*& p);
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
  std::string why_;
};

/// A framed value split into its parts (payload views into the input).
struct frame_view {
  std::uint16_t version = 0;
  std::string_view payload;
};

/// [version][payload][crc32c(key ‖ version ‖ payload)].
std::string frame(std::string_view key, std::uint16_t version, std::string_view payload);

/// Checks size and checksum and splits a framed value; errors name db and key.
/// Does not judge the version: the record decoder does.
result<frame_view> unframe(std::string_view db, std::string_view key, std::string_view value);

/// A key rendered for messages: printable ASCII as is, otherwise hex.
std::string printable_key(std::string_view key);

} // namespace trader::persistence
