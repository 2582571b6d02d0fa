#pragma once
// Encodings of the records in records.hpp. Each type has a current version; decoders accept
// every older version they know (newer binaries read older stores) and refuse newer ones.
//
// | db            | record                   | versions | key                      |
// |---------------|--------------------------|----------|--------------------------|
// | meta          | schema_record            | 1        | "schema"                 |
// | meta          | commit_mark              | 1        | "commit"                 |
// | orders        | order_record             | 1, 2     | client order id          |
// | open_orders   | open_order_ref           | 1        | client order id (index)  |
// | fills         | fill_record              | 1        | trade id                 |
// | positions     | position_record          | 1        | product id               |
// | pnl           | pnl_bucket / nav_mark    | 1        | day/…, week/…, total, nav_hwm |
// | cooldowns     | cooldown_record          | 1        | product id               |
// | bans          | ban_record               | 1        | product id               |
// | gate          | gate_record              | 1        | "gate"                   |
// | config_hashes | config_hash_record       | 1        | hash                     |
// | secrets       | secret_rotation_record   | 1        | key name                 |
// | latency       | latency_baseline_record  | 1        | endpoint                 |
// | risk          | risk_record              | 1        | pacing, exits, loss_limits |

#include "runtime/persistence/records.hpp"
#include "runtime/persistence/result.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace trader::persistence {

/// The store schema this binary writes. 1: orders v1. 2: orders v2 (filled_qty, reduce_only,
/// last_error). 3: the commit counter meta/commit (an older binary would neither read nor
/// advance it). 4: the risk database (risk_record; an older verify calls it unknown). A store with a higher number is refused; lower ones are read and upgraded.
constexpr std::uint32_t current_schema_version = 4;

/// Every named database, in a fixed order.
inline constexpr std::array<const char*, 13> all_dbs = {
  "meta", "orders", "open_orders", "fills", "positions", "pnl", "cooldowns", "bans", "gate", "config_hashes", "secrets",
  "latency", "risk"};

/// Database name and current version of each record type.
template <class T>
struct record_traits;

#define TRADER_RECORD_TRAITS(type, name, ver)                                                       \
  template <>                                                                                        \
  struct record_traits<type> {                                                                       \
    static constexpr const char* db = name;                                                          \
    static constexpr std::uint16_t version = ver;                                                    \
  };
TRADER_RECORD_TRAITS(schema_record, "meta", 1)
TRADER_RECORD_TRAITS(commit_mark, "meta", 1)
TRADER_RECORD_TRAITS(order_record, "orders", 2)
TRADER_RECORD_TRAITS(open_order_ref, "open_orders", 1)
TRADER_RECORD_TRAITS(fill_record, "fills", 1)
TRADER_RECORD_TRAITS(position_record, "positions", 1)
TRADER_RECORD_TRAITS(pnl_bucket, "pnl", 1)
TRADER_RECORD_TRAITS(nav_mark, "pnl", 1)
TRADER_RECORD_TRAITS(cooldown_record, "cooldowns", 1)
TRADER_RECORD_TRAITS(ban_record, "bans", 1)
TRADER_RECORD_TRAITS(gate_record, "gate", 1)
TRADER_RECORD_TRAITS(config_hash_record, "config_hashes", 1)
TRADER_RECORD_TRAITS(secret_rotation_record, "secrets", 1)
TRADER_RECORD_TRAITS(latency_baseline_record, "latency", 1)
TRADER_RECORD_TRAITS(risk_record, "risk", 1)
#undef TRADER_RECORD_TRAITS

// NOLINTBEGIN(bugprone-macro-parentheses): the argument is a type name, which cannot be parenthesized.
#define TRADER_RECORD_CODEC(type)                                                                  \
  /** Frames the current version of a record under key. */                                         \
  std::string encode(std::string_view key, const type& r);                                          \
  /** Checks frame and checksum, accepts known versions, fills out; errors name db+key. */          \
  result<void> decode(std::string_view key, std::string_view value, type& out);
// NOLINTEND(bugprone-macro-parentheses)
TRADER_RECORD_CODEC(schema_record)
TRADER_RECORD_CODEC(commit_mark)
TRADER_RECORD_CODEC(order_record)
TRADER_RECORD_CODEC(open_order_ref)
TRADER_RECORD_CODEC(fill_record)
TRADER_RECORD_CODEC(position_record)
TRADER_RECORD_CODEC(pnl_bucket)
TRADER_RECORD_CODEC(nav_mark)
TRADER_RECORD_CODEC(cooldown_record)
TRADER_RECORD_CODEC(ban_record)
TRADER_RECORD_CODEC(gate_record)
TRADER_RECORD_CODEC(config_hash_record)
TRADER_RECORD_CODEC(secret_rotation_record)
TRADER_RECORD_CODEC(risk_record)
TRADER_RECORD_CODEC(latency_baseline_record)
#undef TRADER_RECORD_CODEC

/// Decodes a value as T.
template <class T>
result<T> decode_as(std::string_view key, std::string_view value) {
  T out;
  if (auto r = decode(key, value, out); !r)
    return r.error();
  return out;
}

/// Decodes any stored value of database db (dispatching on db and, for pnl, the key); for
/// verify. Unknown databases and keys are problems too.
result<void> check_record(std::string_view db, std::string_view key, std::string_view value);

/// The storage key of each keyed record.
inline std::string key_of(const order_record& r) { return r.id.value; }
inline std::string key_of(const fill_record& r) { return r.trade.value; }
inline std::string key_of(const position_record& r) { return r.product.value; }
inline std::string key_of(const cooldown_record& r) { return r.product.value; }
inline std::string key_of(const ban_record& r) { return r.product.value; }
inline std::string key_of(const config_hash_record& r) { return r.hash; }
inline std::string key_of(const secret_rotation_record& r) { return r.key_name; }
inline std::string key_of(const latency_baseline_record& r) { return r.endpoint; }
inline std::string key_of(const risk_record& r) { return r.name; }

/// pnl keys: "day/2026-11-21", "week/2026-W47", "total", "nav_hwm".
std::string pnl_day_key(ts_ns t);
std::string pnl_week_key(ts_ns t);
inline constexpr const char* pnl_total_key = "total";
inline constexpr const char* pnl_hwm_key = "nav_hwm";
inline constexpr const char* gate_key = "gate";
inline constexpr const char* schema_key = "schema";
inline constexpr const char* commit_key = "commit";
/// ISO 8601 week of the UTC date of t, e.g. "2026-W47" (weeks start Monday; week 1 holds
/// the year's first Thursday).
std::string iso_week(ts_ns t);

} // namespace trader::persistence
