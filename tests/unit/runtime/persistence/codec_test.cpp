// The record codec: round trips, rejection of damaged values, and reading older versions.

#include "runtime/persistence/codec.hpp"
#include "runtime/persistence/crc32c.hpp"
#include "runtime/persistence/record_codec.hpp"
#include "runtime/clock.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

using namespace trader;
using namespace trader::persistence;
using namespace trader::persistence::testing;

namespace {

template <class T>
void expect_round_trip(const std::string& key, const T& rec) {
  auto bytes = encode(key, rec);
  auto back = decode_as<T>(key, bytes);
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(*back, rec);
}

/// The v1 layout of order_record, as the first binary wrote it: a fixture encoder kept here
/// so the test proves the current decoder still reads it.
std::string encode_order_v1(const order_record& x) {
  byte_writer w;
  w.str(x.id.value);
  w.str(x.product.value);
  w.u8(static_cast<std::uint8_t>(x.side));
  w.u8(static_cast<std::uint8_t>(x.kind));
  w.i64(x.limit_px.units);
  w.i64(x.qty.units);
  w.str(x.exchange_id.value);
  w.u8(static_cast<std::uint8_t>(x.status));
  w.i64(x.created_at);
  w.i64(x.updated_at);
  return frame(x.id.value, 1, w.bytes());
}

} // namespace

TEST(Crc32c, MatchesTheStandardCheckValue) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c_portable(0, "123456789", 9), 0xE3069283u);
}

TEST(Crc32c, HardwareAndPortableAgreeOnEveryLengthAndChaining) {
  std::string buf;
  for (int i = 0; i < 300; ++i)
    buf.push_back(static_cast<char>(i * 37 + 11));
  for (std::size_t n = 0; n <= buf.size(); ++n) {
    ASSERT_EQ(crc32c(0, buf.data(), n), crc32c_portable(0, buf.data(), n)) << n;
    auto half = n / 2;
    ASSERT_EQ(crc32c(crc32c(0, buf.data(), half), buf.data() + half, n - half), crc32c(0, buf.data(), n)) << n;
  }
}

TEST(RecordCodec, RoundTripsEveryRecordType) {
  auto o = make_order(7);
  o.exchange_id = exchange_order_id{"ex-7"};
  o.filled_qty = size::from_units(42);
  o.reduce_only = true;
  o.last_error = "INSUFFICIENT_FUND";
  expect_round_trip(key_of(o), o);
  auto f = make_fill(3);
  expect_round_trip(key_of(f), f);
  position_record p{product_id{"BTC-USD"}, size::from_units(-5), price::from_units(7), notional::from_units(9),
                    notional::from_units(-11), 12};
  expect_round_trip(key_of(p), p);
  expect_round_trip("day/2026-11-21", pnl_bucket{notional::from_units(-3), notional::from_units(4), 5, 6});
  expect_round_trip(pnl_hwm_key, nav_mark{notional::from_int(10'000), 77});
  cooldown_record c{product_id{"SOL-USD"}, 99, "stop loss hit"};
  expect_round_trip(key_of(c), c);
  ban_record b{product_id{"DOGE-USD"}, "pump 40% in 1h", 1, 2};
  expect_round_trip(key_of(b), b);
  gate_record g{false, {{"state_unavailable", "verify failed", 5}, {"kill_switch", "", 6}}, 7};
  expect_round_trip(gate_key, g);
  config_hash_record h{"abc123", 1, 2, 3, 4};
  expect_round_trip(key_of(h), h);
  secret_rotation_record s{"coinbase_api_key", 123};
  expect_round_trip(key_of(s), s);
  latency_baseline_record l{"/orders", 1, 2, 3, 4, 5};
  expect_round_trip(key_of(l), l);
  expect_round_trip(schema_key, schema_record{2, 3, "traderd 0.1.0"});
}

TEST(RecordCodec, RejectsEveryTruncation) {
  auto o = make_order(1);
  auto bytes = encode(key_of(o), o);
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto r = decode_as<order_record>(key_of(o), std::string_view(bytes).substr(0, n));
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes decoded";
    EXPECT_EQ(r.error().code, store_errc::decode_failed);
    EXPECT_EQ(r.error().db, "orders");
    EXPECT_EQ(r.error().key, "coid-1");
  }
}

TEST(RecordCodec, RejectsEverySingleBitFlip) {
  auto f = make_fill(1);
  auto bytes = encode(key_of(f), f);
  for (std::size_t i = 0; i < bytes.size() * 8; ++i) {
    auto bad = bytes;
    bad[i / 8] = static_cast<char>(bad[i / 8] ^ (1 << (i % 8)));
    auto r = decode_as<fill_record>(key_of(f), bad);
    ASSERT_FALSE(r.ok()) << "bit " << i;
  }
}

TEST(RecordCodec, ChecksumCoversTheKey) {
  auto o = make_order(1);
  auto r = decode_as<order_record>("coid-2", encode(key_of(o), o));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, store_errc::decode_failed);
  EXPECT_NE(r.error().describe().find("checksum"), std::string::npos);
}

TEST(RecordCodec, RefusesANewerRecordVersion) {
  auto o = make_order(1);
  byte_writer w;
  w.str("whatever a v3 holds");
  auto r = decode_as<order_record>(key_of(o), frame(key_of(o), 3, w.bytes()));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, store_errc::version_newer);
  EXPECT_EQ(r.error().db, "orders");
  EXPECT_EQ(r.error().key, "coid-1");
}

TEST(RecordCodec, RefusesVersionZero) {
  auto r = decode_as<fill_record>("t", frame("t", 0, ""));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, store_errc::version_unknown);
}

TEST(RecordCodec, RejectsBadEnumAndTrailingBytes) {
  auto o = make_order(1);
  o.status = static_cast<order_status>(42);
  auto r = decode_as<order_record>(key_of(o), encode(key_of(o), o));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad enum"), std::string::npos);

  byte_writer w;
  w.str("BTC-USD");
  w.i64(1);
  w.str("why");
  w.u8(0);  // one byte too many
  auto c = decode_as<cooldown_record>("BTC-USD", frame("BTC-USD", 1, w.bytes()));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "trailing bytes");
}

TEST(RecordCodec, V2DecoderReadsAV1Order) {
  auto o = make_order(5);
  o.exchange_id = exchange_order_id{"ex-5"};
  o.status = order_status::open;
  auto back = decode_as<order_record>(key_of(o), encode_order_v1(o));
  ASSERT_TRUE(back.ok()) << back.error().describe();
  EXPECT_EQ(*back, o);  // v2 fields take their defaults
  EXPECT_TRUE(back->filled_qty.is_zero());
  EXPECT_FALSE(back->reduce_only);
  EXPECT_TRUE(back->last_error.empty());
}

TEST(RecordCodec, CheckRecordRejectsUnknownKeysAndDatabases) {
  EXPECT_FALSE(check_record("pnl", "month/2026-11", encode("month/2026-11", pnl_bucket{})).ok());
  EXPECT_FALSE(check_record("nope", "k", "v").ok());
  EXPECT_TRUE(check_record("pnl", "week/2026-W47", encode("week/2026-W47", pnl_bucket{})).ok());
}

TEST(PnlKeys, IsoWeeksFollowTheIsoRules) {
  auto at = [](const char* s) {
    ts_ns t = 0;
    EXPECT_TRUE(parse_rfc3339(s, t));
    return t;
  };
  EXPECT_EQ(iso_week(at("2026-11-21T12:00:00Z")), "2026-W47");
  EXPECT_EQ(iso_week(at("2021-01-03T00:00:00Z")), "2020-W53");  // Sunday belongs to 2020's last week
  EXPECT_EQ(iso_week(at("2024-12-30T00:00:00Z")), "2025-W01");  // Monday in 2025's first week
  EXPECT_EQ(iso_week(at("2026-01-01T00:00:00Z")), "2026-W01");
  EXPECT_EQ(pnl_day_key(at("2026-11-21T23:59:59Z")), "day/2026-11-21");
}
