#pragma once
// The ledger as bytes, for the state store. Explicit, versioned, little-endian; not CAF's
// serializer. Two ways to store it:
//   whole:   u16 version · summary · u32 n · n × book
//   split:   summary = u16 version · summary body; one book = u16 version · book body
//            (the actor writes the summary and the book of the fill's product with the fill,
//            in one store transaction, instead of every product's book each time)
//   summary body: options · cash · high-water (nav, at, set) · PnL buckets
//   book body:    product · checkpoint · checkpoint_ts · pending fills · folded trade ids
// Decoding rebuilds each product's current position by replaying its pending fills from the
// checkpoint, so a decoded ledger equals the encoded one. No CAF.

#include "actors/trading/order_lifecycle/ledger.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trader::order_lifecycle {

namespace codec_detail {
class reader;
class writer;
} // namespace codec_detail

class ledger_codec {
public:
  static constexpr std::uint16_t version = 1;
  /// The whole ledger.
  static std::string encode(const ledger& l);
  /// Options, cash, high-water mark and PnL buckets.
  static std::string encode_summary(const ledger& l);
  /// One product's book; nullopt when the product never traded.
  static std::optional<std::string> encode_book(const ledger& l, const product_id& p);
  /// The ledger of encode()'s bytes; nullopt on truncation, trailing bytes, an unknown
  /// version, a value out of range or a product twice (why says which).
  static std::optional<ledger> decode(std::string_view bytes, std::string* why = nullptr);
  /// The ledger of a summary and every product's book.
  static std::optional<ledger> decode(std::string_view summary, const std::vector<std::string_view>& books,
                                      std::string* why = nullptr);

private:
  static void write_summary(codec_detail::writer& w, const ledger& l);
  static void write_book(codec_detail::writer& w, const std::string& product, const product_book& b);
  static std::optional<ledger> read_summary(codec_detail::reader& r);
  static bool read_book(codec_detail::reader& r, ledger& l);
};

} // namespace trader::order_lifecycle
