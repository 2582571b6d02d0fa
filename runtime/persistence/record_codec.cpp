#include "runtime/persistence/record_codec.hpp"

#include "runtime/clock.hpp"
#include "runtime/persistence/codec.hpp"

#include <cstdio>

namespace trader::persistence {

namespace {

// -- field helpers -------------------------------------------------------------

template <class Tag>
void put(byte_writer& w, const string_id<Tag>& x) { w.str(x.value); }
template <class Tag>
void put(byte_writer& w, fixed<Tag> x) { w.i64(x.units); }
template <class Tag>
bool get(byte_reader& r, string_id<Tag>& x) { return r.str(x.value, 4096); }
template <class Tag>
bool get(byte_reader& r, fixed<Tag>& x) { return r.i64(x.units); }

template <class E>
void put_enum(byte_writer& w, E x) { w.u8(static_cast<std::uint8_t>(x)); }

/// Reads a u8 enum whose valid values are lo..hi.
template <class E>
bool get_enum(byte_reader& r, E& x, std::uint8_t lo, std::uint8_t hi) {
  std::uint8_t v;
  if (!r.u8(v))
    return false;
  if (v < lo || v > hi) {
    r.fail("bad enum value " + std::to_string(v));
    return false;
  }
  x = static_cast<E>(v);
  return true;
}

/// Unframes, judges the version against T's current version and runs read(r, version, out).
template <class T, class Read>
result<void> decode_framed(std::string_view key, std::string_view value, T& out, Read read) {
  const char* db = record_traits<T>::db;
  auto f = unframe(db, key, value);
  if (!f)
    return f.error();
  if (f->version > record_traits<T>::version)
    return make_error(store_errc::version_newer,
                      "record version " + std::to_string(f->version) + " is newer than this binary reads ("
                        + std::to_string(record_traits<T>::version) + ")",
                      db, printable_key(key));
  if (f->version == 0)
    return make_error(store_errc::version_unknown, "record version 0", db, printable_key(key));
  byte_reader r(f->payload);
  read(r, f->version, out);
  if (!r.ok())
    return make_error(store_errc::decode_failed, r.why(), db, printable_key(key));
  if (!r.done())
    return make_error(store_errc::decode_failed, "trailing bytes", db, printable_key(key));
  return ok_result();
}

result<void> check_key(const char* db, std::string_view key, const std::string& own) {
  if (key != own)
    return make_error(store_errc::decode_failed, "key does not match record (" + printable_key(own) + ")", db,
                      printable_key(key));
  return ok_result();
}

std::string finish(std::string_view key, std::uint16_t version, const byte_writer& w) {
  return frame(key, version, w.bytes());
}

} // namespace

// -- meta ------------------------------------------------------------------------

std::string encode(std::string_view key, const schema_record& x) {
  byte_writer w;
  w.u32(x.version);
  w.i64(x.created_at);
  w.str(x.written_by);
  return finish(key, record_traits<schema_record>::version, w);
}

result<void> decode(std::string_view key, std::string_view value, schema_record& x) {
  return decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, schema_record& x) {
    r.u32(x.version) && r.i64(x.created_at) && r.str(x.written_by, 256);
  });
}

std::string encode(std::string_view key, const commit_mark& x) {
  byte_writer w;
  w.u64(x.seq);
  w.i64(x.at);
  return finish(key, record_traits<commit_mark>::version, w);
}

result<void> decode(std::string_view key, std::string_view value, commit_mark& x) {
  return decode_framed(key, value, x,
                       [](byte_reader& r, std::uint16_t, commit_mark& x) { r.u64(x.seq) && r.i64(x.at); });
}

// -- orders ----------------------------------------------------------------------

std::string encode(std::string_view key, const order_record& x) {
  byte_writer w;
  put(w, x.id);
  put(w, x.product);
  put_enum(w, x.side);
  put_enum(w, x.kind);
  put(w, x.limit_px);
  put(w, x.qty);
  put(w, x.exchange_id);
  put_enum(w, x.status);
  w.i64(x.created_at);
  w.i64(x.updated_at);
  // v2 fields, appended after the v1 layout.
  put(w, x.filled_qty);
  w.boolean(x.reduce_only);
  w.str(x.last_error);
  return finish(key, 2, w);
}

result<void> decode(std::string_view key, std::string_view value, order_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t v, order_record& x) {
    get(r, x.id) && get(r, x.product) && get_enum(r, x.side, 1, 2) && get_enum(r, x.kind, 1, 3)
      && get(r, x.limit_px) && get(r, x.qty) && get(r, x.exchange_id) && get_enum(r, x.status, 1, 9)
      && r.i64(x.created_at) && r.i64(x.updated_at);
    if (v >= 2) {
      get(r, x.filled_qty) && r.boolean(x.reduce_only) && r.str(x.last_error, 65536);
    } else {
      x.filled_qty = size{};  // v1 did not track it; reconcile fills it in
      x.reduce_only = false;
      x.last_error.clear();
    }
  });
  return r ? check_key("orders", key, x.id.value) : r;
}

// -- open order index ---------------------------------------------------------------

std::string encode(std::string_view key, const open_order_ref& x) {
  byte_writer w;
  put_enum(w, x.status);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, open_order_ref& x) {
  return decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, open_order_ref& x) {
    get_enum(r, x.status, 1, 9);
  });
}

// -- fills -----------------------------------------------------------------------

std::string encode(std::string_view key, const fill_record& x) {
  byte_writer w;
  put(w, x.trade);
  put(w, x.order);
  put(w, x.exchange_order);
  put(w, x.product);
  put_enum(w, x.side);
  put(w, x.px);
  put(w, x.qty);
  put(w, x.fee);
  put_enum(w, x.liquidity);
  w.i64(x.ts_event);
  w.i64(x.ts_recv);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, fill_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, fill_record& x) {
    get(r, x.trade) && get(r, x.order) && get(r, x.exchange_order) && get(r, x.product)
      && get_enum(r, x.side, 1, 2) && get(r, x.px) && get(r, x.qty) && get(r, x.fee)
      && get_enum(r, x.liquidity, 0, 2) && r.i64(x.ts_event) && r.i64(x.ts_recv);
  });
  return r ? check_key("fills", key, x.trade.value) : r;
}

// -- positions -------------------------------------------------------------------

std::string encode(std::string_view key, const position_record& x) {
  byte_writer w;
  put(w, x.product);
  put(w, x.qty);
  put(w, x.avg_entry);
  put(w, x.fees);
  put(w, x.realized_pnl);
  w.i64(x.updated_at);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, position_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, position_record& x) {
    get(r, x.product) && get(r, x.qty) && get(r, x.avg_entry) && get(r, x.fees) && get(r, x.realized_pnl)
      && r.i64(x.updated_at);
  });
  return r ? check_key("positions", key, x.product.value) : r;
}

// -- pnl -------------------------------------------------------------------------

std::string encode(std::string_view key, const pnl_bucket& x) {
  byte_writer w;
  put(w, x.realized);
  put(w, x.fees);
  w.i64(x.fills);
  w.i64(x.updated_at);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, pnl_bucket& x) {
  return decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, pnl_bucket& x) {
    get(r, x.realized) && get(r, x.fees) && r.i64(x.fills) && r.i64(x.updated_at);
  });
}

std::string encode(std::string_view key, const nav_mark& x) {
  byte_writer w;
  put(w, x.nav);
  w.i64(x.at);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, nav_mark& x) {
  return decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, nav_mark& x) {
    get(r, x.nav) && r.i64(x.at);
  });
}

// -- risk ---------------------------------------------------------------------------

std::string encode(std::string_view key, const risk_record& x) {
  byte_writer w;
  w.str(x.name);
  w.str(x.json);
  w.i64(x.updated_at);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, risk_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, risk_record& x) {
    r.str(x.name, 256) && r.str(x.json, 4 << 20) && r.i64(x.updated_at);
  });
  return r ? check_key("risk", key, x.name) : r;
}

// -- cooldowns, bans, gate ----------------------------------------------------------

std::string encode(std::string_view key, const cooldown_record& x) {
  byte_writer w;
  put(w, x.product);
  w.i64(x.until);
  w.str(x.reason);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, cooldown_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, cooldown_record& x) {
    get(r, x.product) && r.i64(x.until) && r.str(x.reason, 65536);
  });
  return r ? check_key("cooldowns", key, x.product.value) : r;
}

std::string encode(std::string_view key, const ban_record& x) {
  byte_writer w;
  put(w, x.product);
  w.str(x.reason);
  w.i64(x.banned_at);
  w.i64(x.expires_at);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, ban_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, ban_record& x) {
    get(r, x.product) && r.str(x.reason, 65536) && r.i64(x.banned_at) && r.i64(x.expires_at);
  });
  return r ? check_key("bans", key, x.product.value) : r;
}

std::string encode(std::string_view key, const gate_record& x) {
  byte_writer w;
  w.boolean(x.open);
  w.u32(static_cast<std::uint32_t>(x.reasons.size()));
  for (const auto& e : x.reasons) {
    w.str(e.reason);
    w.str(e.detail);
    w.i64(e.since);
  }
  w.i64(x.updated_at);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, gate_record& x) {
  return decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, gate_record& x) {
    std::uint32_t n = 0;
    if (!r.boolean(x.open) || !r.u32(n))
      return;
    if (n > 1024) {
      r.fail("too many gate reasons");
      return;
    }
    x.reasons.assign(n, {});
    for (auto& e : x.reasons)
      if (!(r.str(e.reason, 256) && r.str(e.detail, 65536) && r.i64(e.since)))
        return;
    r.i64(x.updated_at);
  });
}

// -- config hashes, secrets, latency --------------------------------------------------

std::string encode(std::string_view key, const config_hash_record& x) {
  byte_writer w;
  w.str(x.hash);
  w.i64(x.first_seen);
  w.i64(x.last_seen);
  w.i64(x.paper_seconds);
  w.i64(x.live_seconds);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, config_hash_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, config_hash_record& x) {
    r.str(x.hash, 4096) && r.i64(x.first_seen) && r.i64(x.last_seen) && r.i64(x.paper_seconds)
      && r.i64(x.live_seconds);
  });
  return r ? check_key("config_hashes", key, x.hash) : r;
}

std::string encode(std::string_view key, const secret_rotation_record& x) {
  byte_writer w;
  w.str(x.key_name);
  w.i64(x.created_at);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, secret_rotation_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, secret_rotation_record& x) {
    r.str(x.key_name, 4096) && r.i64(x.created_at);
  });
  return r ? check_key("secrets", key, x.key_name) : r;
}

std::string encode(std::string_view key, const latency_baseline_record& x) {
  byte_writer w;
  w.str(x.endpoint);
  w.i64(x.p50_ns);
  w.i64(x.p95_ns);
  w.i64(x.p99_ns);
  w.i64(x.samples);
  w.i64(x.updated_at);
  return finish(key, 1, w);
}

result<void> decode(std::string_view key, std::string_view value, latency_baseline_record& x) {
  auto r = decode_framed(key, value, x, [](byte_reader& r, std::uint16_t, latency_baseline_record& x) {
    r.str(x.endpoint, 4096) && r.i64(x.p50_ns) && r.i64(x.p95_ns) && r.i64(x.p99_ns) && r.i64(x.samples)
      && r.i64(x.updated_at);
  });
  return r ? check_key("latency", key, x.endpoint) : r;
}

// -- dispatch --------------------------------------------------------------------------

namespace {
template <class T>
result<void> check_as(std::string_view key, std::string_view value) {
  T x;
  return decode(key, value, x);
}
} // namespace

result<void> check_record(std::string_view db, std::string_view key, std::string_view value) {
  if (db == "meta") {
    if (key == commit_key)
      return check_as<commit_mark>(key, value);
    if (key != schema_key)
      return make_error(store_errc::decode_failed, "unknown meta key", "meta", printable_key(key));
    return check_as<schema_record>(key, value);
  }
  if (db == "orders")
    return check_as<order_record>(key, value);
  if (db == "open_orders")
    return check_as<open_order_ref>(key, value);
  if (db == "fills")
    return check_as<fill_record>(key, value);
  if (db == "positions")
    return check_as<position_record>(key, value);
  if (db == "pnl") {
    if (key == pnl_hwm_key)
      return check_as<nav_mark>(key, value);
    if (key == pnl_total_key || key.starts_with("day/") || key.starts_with("week/"))
      return check_as<pnl_bucket>(key, value);
    return make_error(store_errc::decode_failed, "unknown pnl key", "pnl", printable_key(key));
  }
  if (db == "cooldowns")
    return check_as<cooldown_record>(key, value);
  if (db == "bans")
    return check_as<ban_record>(key, value);
  if (db == "gate") {
    if (key != gate_key)
      return make_error(store_errc::decode_failed, "unknown gate key", "gate", printable_key(key));
    return check_as<gate_record>(key, value);
  }
  if (db == "config_hashes")
    return check_as<config_hash_record>(key, value);
  if (db == "secrets")
    return check_as<secret_rotation_record>(key, value);
  if (db == "latency")
    return check_as<latency_baseline_record>(key, value);
  if (db == "risk")
    return check_as<risk_record>(key, value);
  return make_error(store_errc::version_unknown, "unknown database", std::string(db), printable_key(key));
}

// -- pnl keys --------------------------------------------------------------------------

std::string pnl_day_key(ts_ns t) { return "day/" + utc_date(t); }
std::string pnl_week_key(ts_ns t) { return "week/" + iso_week(t); }

std::string iso_week(ts_ns t) {
  // Day 0 (1970-01-01) was a Thursday. ISO weekday: Monday = 1 … Sunday = 7.
  auto day = utc_day(t);
  auto weekday = ((day + 3) % 7 + 7) % 7 + 1;
  auto thursday = day - weekday + 4;  // the Thursday of this ISO week decides its year
  auto year_str = utc_date(thursday * 86400 * ns_per_s).substr(0, 4);
  int year = std::stoi(year_str);
  // Day number of January 1st of that year: scan back from the Thursday (≤ 366 steps avoided
  // by computing the day-of-year from the date string).
  char jan1[48];
  std::snprintf(jan1, sizeof jan1, "%04d-01-01T00:00:00Z", year);
  ts_ns jan1_ts = 0;
  parse_rfc3339(jan1, jan1_ts);
  auto week = (thursday - utc_day(jan1_ts)) / 7 + 1;
  char out[48];
  std::snprintf(out, sizeof out, "%04d-W%02lld", year, static_cast<long long>(week));
  return out;
}

} // namespace trader::persistence
