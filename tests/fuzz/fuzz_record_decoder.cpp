// Fuzz target: the state-record decoder (runtime/persistence/record_codec.hpp, codec.hpp).
// Input: [db index][key length][key][version: u16 little end][payload]. The harness frames
// version + payload under key with a correct CRC (so the mutations reach the record
// decoders, not only the checksum) and runs check_record, the decoder verify uses for every
// stored value; it also runs check_record on the unframed bytes (the frame check itself).
// A record that decodes is re-encoded and must decode again to the same bytes.
#include "runtime/persistence/codec.hpp"
#include "runtime/persistence/record_codec.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

using namespace trader::persistence;

namespace {

template <class T>
void round_trip(std::string_view key, std::string_view value) {
  T rec;
  if (!decode(key, value, rec))
    return;
  auto again = encode(key, rec);
  T rec2;
  if (!decode(key, again, rec2))
    std::abort();  // what we wrote we must read
  if (encode(key, rec2) != again)
    std::abort();  // encode ∘ decode is stable
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4)
    return 0;
  std::string_view db = all_dbs[data[0] % all_dbs.size()];
  std::size_t klen = data[1];
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  if (klen > rest.size())
    klen = rest.size();
  std::string_view key = rest.substr(0, klen);
  rest.remove_prefix(klen);
  (void)check_record(db, key, rest);  // raw: the frame and CRC checks
  if (rest.size() < 2)
    return 0;
  auto version = static_cast<std::uint16_t>(static_cast<unsigned char>(rest[0]) |
                                            (static_cast<unsigned char>(rest[1]) << 8));
  std::string framed = frame(key, version, rest.substr(2));
  (void)check_record(db, key, framed);
  switch (data[0] % all_dbs.size()) {
  case 1: round_trip<order_record>(key, framed); break;
  case 2: round_trip<open_order_ref>(key, framed); break;
  case 3: round_trip<fill_record>(key, framed); break;
  case 4: round_trip<position_record>(key, framed); break;
  case 5: round_trip<pnl_bucket>(key, framed); round_trip<nav_mark>(key, framed); break;
  case 6: round_trip<cooldown_record>(key, framed); break;
  case 7: round_trip<ban_record>(key, framed); break;
  case 8: round_trip<gate_record>(key, framed); break;
  case 9: round_trip<config_hash_record>(key, framed); break;
  case 10: round_trip<secret_rotation_record>(key, framed); break;
  case 11: round_trip<latency_baseline_record>(key, framed); break;
  case 12: round_trip<risk_record>(key, framed); break;
  default: round_trip<schema_record>(key, framed); round_trip<commit_mark>(key, framed); break;
  }
  return 0;
}
