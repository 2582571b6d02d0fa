#pragma once
// The records the state store keeps, one struct per named database. Plain data; their
// encodings live in record_codec.hpp. Enums here have explicit values because the values
// are written to disk: never renumber, only append.

#include "messages/ids.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace trader::persistence {

/// Buy or sell (stored as u8).
enum class order_side : std::uint8_t { buy = 1, sell = 2 };
/// Order type (stored as u8).
enum class order_kind : std::uint8_t { market = 1, limit = 2, stop_limit = 3 };
/// Order state machine state (stored as u8); mirrors trader::order_state by name.
enum class order_status : std::uint8_t {
  created = 1,  ///< Intent persisted, not yet sent ("NEW").
  open = 2,
  partially_filled = 3,
  filled = 4,
  canceled = 5,
  expired = 6,
  rejected = 7,
  failed = 8,   ///< Never reached the exchange.
  unknown = 9,  ///< Sent, outcome unknown: resolve by client order id.
};
/// Maker/taker (stored as u8).
enum class fill_liquidity : std::uint8_t { unknown = 0, maker = 1, taker = 2 };

const char* to_string(order_side x);
const char* to_string(order_kind x);
const char* to_string(order_status x);
const char* to_string(fill_liquidity x);
/// True for created, open, partially_filled and unknown: the order may still trade.
bool is_open(order_status x);

/// db "orders", key = client order id. Written before the order is sent (write-ahead).
struct order_record {
  client_order_id id;         ///< Ours; the idempotency key.
  product_id product;         ///< "BTC-USD".
  order_side side = order_side::buy;
  order_kind kind = order_kind::limit;
  price limit_px;             ///< Zero for market orders.
  size qty;                   ///< Requested base size.
  exchange_order_id exchange_id;  ///< Empty until the exchange acknowledges.
  order_status status = order_status::created;
  size filled_qty;            ///< Cumulative (v2; 0 when read from v1).
  bool reduce_only = false;   ///< Exit/trim/flatten order (v2; false when read from v1).
  ts_ns created_at = 0;
  ts_ns updated_at = 0;
  std::string last_error;     ///< Last failure or reject reason (v2; empty from v1).

  bool operator==(const order_record&) const = default;
};

/// db "open_orders", key = client order id: an index of the orders in an open state, so a
/// snapshot does not scan the whole order history. Maintained by every order write.
struct open_order_ref {
  order_status status = order_status::created;

  bool operator==(const open_order_ref&) const = default;
};

/// db "fills", key = trade id. Inserted once; a duplicate never overwrites.
struct fill_record {
  trade_id trade;
  client_order_id order;
  exchange_order_id exchange_order;
  product_id product;
  order_side side = order_side::buy;
  price px;
  size qty;
  notional fee;
  fill_liquidity liquidity = fill_liquidity::unknown;
  ts_ns ts_event = 0;  ///< Exchange time.
  ts_ns ts_recv = 0;   ///< When we received it.

  bool operator==(const fill_record&) const = default;
};

/// db "positions", key = product id.
struct position_record {
  product_id product;
  size qty;               ///< Signed base quantity held.
  price avg_entry;        ///< Quantity-weighted average entry price.
  notional fees;          ///< Fees paid on this position so far.
  notional realized_pnl;  ///< Realized on this product since it was opened.
  ts_ns updated_at = 0;

  bool operator==(const position_record&) const = default;
};

/// db "pnl", keys "day/YYYY-MM-DD", "week/YYYY-Www", "total": realized PnL of a bucket.
struct pnl_bucket {
  notional realized;  ///< Net of fees.
  notional fees;
  std::int64_t fills = 0;  ///< Fills counted in this bucket.
  ts_ns updated_at = 0;

  bool operator==(const pnl_bucket&) const = default;
};

/// db "pnl", key "nav_hwm": the high-water mark of NAV (for max drawdown).
struct nav_mark {
  notional nav;
  ts_ns at = 0;

  bool operator==(const nav_mark&) const = default;
};

/// db "cooldowns", key = product id: no new entries on it until `until`.
struct cooldown_record {
  product_id product;
  ts_ns until = 0;
  std::string reason;

  bool operator==(const cooldown_record&) const = default;
};

/// db "bans", key = product id: a red-flag ban with expiry.
struct ban_record {
  product_id product;
  std::string reason;
  ts_ns banned_at = 0;
  ts_ns expires_at = 0;

  bool operator==(const ban_record&) const = default;
};

/// One closing reason of the trading gate (reason by name, e.g. "state_unavailable").
struct gate_reason_record {
  std::string reason;
  std::string detail;
  ts_ns since = 0;

  bool operator==(const gate_reason_record&) const = default;
};

/// db "gate", key "gate": the persisted trading gate.
struct gate_record {
  bool open = false;
  std::vector<gate_reason_record> reasons;
  ts_ns updated_at = 0;

  bool operator==(const gate_record&) const = default;
};

/// db "config_hashes", key = hash: how long each configuration ran in each mode.
struct config_hash_record {
  std::string hash;
  ts_ns first_seen = 0;
  ts_ns last_seen = 0;
  std::int64_t paper_seconds = 0;
  std::int64_t live_seconds = 0;

  bool operator==(const config_hash_record&) const = default;
};

/// db "secrets", key = key name: when a credential was created (rotation age).
struct secret_rotation_record {
  std::string key_name;
  ts_ns created_at = 0;

  bool operator==(const secret_rotation_record&) const = default;
};

/// db "latency", key = endpoint: baseline latency percentiles in nanoseconds.
struct latency_baseline_record {
  std::string endpoint;
  std::int64_t p50_ns = 0;
  std::int64_t p95_ns = 0;
  std::int64_t p99_ns = 0;
  std::int64_t samples = 0;
  ts_ns updated_at = 0;

  bool operator==(const latency_baseline_record&) const = default;
};

/// db "risk", key = name ("pacing", "exits", "loss_limits"): one part of the risk actor's
/// state that must survive a restart, as the versioned JSON its pure class writes
/// (risk::pacing_state, protective_exits, loss_limits to_json/from_json).
struct risk_record {
  std::string name;
  std::string json;
  ts_ns updated_at = 0;

  bool operator==(const risk_record&) const = default;
};

/// db "meta", key "schema": the store's schema version and provenance.
struct schema_record {
  std::uint32_t version = 0;
  ts_ns created_at = 0;
  std::string written_by;  ///< e.g. "traderd 0.1.0"

  bool operator==(const schema_record&) const = default;
};

/// db "meta", key "commit": how many write transactions this store has committed. Every
/// commit raises it by one in the same transaction; the high-water file (store.hwm) keeps a
/// copy outside the LMDB file, so a store that comes back older than it was is noticed.
struct commit_mark {
  std::uint64_t seq = 0;
  ts_ns at = 0;  ///< Wall time of the commit.

  bool operator==(const commit_mark&) const = default;
};

} // namespace trader::persistence
