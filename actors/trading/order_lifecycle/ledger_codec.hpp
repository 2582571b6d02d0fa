#pragma once
// The ledger as bytes, for the state store (one value written with each new fill, in the
// fill's transaction). Explicit, versioned, little-endian; not CAF's serializer.
//
//   u16 version (1) · options · cash · high-water (nav, at, set) · buckets · books
//   (checkpoint, checkpoint_ts, pending fills) · folded trade ids
//
// Decoding rebuilds each product's current position by replaying its pending fills from the
// checkpoint, so a decoded ledger equals the encoded one. No CAF.

#include "actors/trading/order_lifecycle/ledger.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trader::order_lifecycle {

class ledger_codec {
public:
  static constexpr std::uint16_t version = 1;
  /// The bytes of l.
  static std::string encode(const ledger& l);
  /// The ledger of bytes; nullopt on truncation, trailing bytes, an unknown version or a
  /// value out of range (why says which).
  static std::optional<ledger> decode(std::string_view bytes, std::string* why = nullptr);
};

} // namespace trader::order_lifecycle
