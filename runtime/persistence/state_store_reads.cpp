// The read side of state_store: each call runs in its own read transaction.

#include "runtime/persistence/state_store.hpp"

#include "runtime/persistence/codec.hpp"

#include <algorithm>
#include <filesystem>

namespace trader::persistence {

result<void> state_store::read(const std::function<result<void>(const lmdb_txn&)>& fn) const {
  for (int attempt = 0;; ++attempt) {
    std::shared_lock rl(resize_mu_);
    auto txn = lmdb_txn::begin(*env_, true);
    if (!txn) {
      if (txn.error().lmdb_rc == MDB_MAP_RESIZED && attempt == 0) {
        rl.unlock();
        std::unique_lock ul(resize_mu_);  // another process grew the map: adopt its size
        if (auto a = env_->adopt_map_size(); !a)
          return a.error();
        continue;
      }
      return txn.error();
    }
    return fn(*txn);
  }
}

namespace {

/// Decodes every record of db into out.
template <class T>
result<void> collect(const lmdb_txn& txn, std::optional<MDB_dbi> dbi, const char* db, std::vector<T>& out) {
  if (!dbi)
    return ok_result();  // a read-only open of a store that predates this db
  store_error err;
  bool bad = false;
  auto r = txn.for_each(*dbi, db, [&](std::string_view k, std::string_view v) {
    auto rec = decode_as<T>(k, v);
    if (!rec) {
      err = rec.error();
      bad = true;
      return false;
    }
    out.push_back(std::move(*rec));
    return true;
  });
  if (!r)
    return r;
  if (bad)
    return err;
  return ok_result();
}

template <class T>
result<std::optional<T>> get_in(const lmdb_txn& txn, std::optional<MDB_dbi> dbi, const char* db,
                                std::string_view key) {
  if (!dbi)
    return std::optional<T>{};
  auto raw = txn.get(*dbi, db, key);
  if (!raw)
    return raw.error();
  if (!*raw)
    return std::optional<T>{};
  auto rec = decode_as<T>(key, **raw);
  if (!rec)
    return rec.error();
  return std::optional<T>{std::move(*rec)};
}

/// One record of type T under key in db, in its own read transaction (read runs it, as
/// state_store::read does); nullopt when absent. The one body of get<T>, get_gate, get_pnl
/// and get_nav_high_water.
template <class T, class Read>
result<std::optional<T>> get_one(Read&& read, std::optional<MDB_dbi> dbi, const char* db, std::string_view key) {
  std::optional<T> out;
  if (!dbi)
    return out;  // a read-only open of a store that predates this db
  return read([&](const lmdb_txn& txn) {
           return get_in<T>(txn, dbi, db, key).transform([&](std::optional<T>&& rec) { out = std::move(rec); });
         })
    .transform([&] { return std::move(out); });
}

} // namespace

template <class T>
result<std::optional<T>> state_store::get(std::string_view key) const {
  const char* db = record_traits<T>::db;
  return get_one<T>([&](const auto& fn) { return read(fn); }, find_dbi(db), db, key);
}

template <class T>
result<std::vector<T>> state_store::list() const {
  const char* db = record_traits<T>::db;
  std::vector<T> out;
  if (!has_db(db))
    return out;
  auto r = read([&](const lmdb_txn& txn) { return collect(txn, find_dbi(db), db, out); });
  if (!r)
    return r.error();
  return out;
}

// NOLINTBEGIN(bugprone-macro-parentheses): the argument is a type name, which cannot be parenthesized.
#define TRADER_INSTANTIATE(type)                                                                 \
  template result<std::optional<type>> state_store::get<type>(std::string_view) const;           \
  template result<std::vector<type>> state_store::list<type>() const;
// NOLINTEND(bugprone-macro-parentheses)
TRADER_INSTANTIATE(order_record)
TRADER_INSTANTIATE(fill_record)
TRADER_INSTANTIATE(position_record)
TRADER_INSTANTIATE(cooldown_record)
TRADER_INSTANTIATE(ban_record)
TRADER_INSTANTIATE(config_hash_record)
TRADER_INSTANTIATE(secret_rotation_record)
TRADER_INSTANTIATE(latency_baseline_record)
TRADER_INSTANTIATE(risk_record)
#undef TRADER_INSTANTIATE

result<void> state_store::collect_open_orders(const lmdb_txn& txn, std::vector<order_record>& out) const {
  if (!has_db("open_orders")) {  // read-only open of a store without the index: scan
    std::vector<order_record> all;
    if (auto r = collect(txn, find_dbi("orders"), "orders", all); !r)
      return r;
    for (auto& o : all)
      if (is_open(o.status))
        out.push_back(std::move(o));
    return ok_result();
  }
  std::vector<std::string> keys;
  auto r = txn.for_each(*find_dbi("open_orders"), "open_orders", [&](std::string_view k, std::string_view) {
    keys.emplace_back(k);
    return true;
  });
  if (!r)
    return r;
  for (const auto& k : keys) {
    auto o = get_in<order_record>(txn, find_dbi("orders"), "orders", k);
    if (!o)
      return o.error();
    if (!*o)
      return make_error(store_errc::corrupted, "open order index names a missing order", "open_orders",
                        printable_key(k));
    out.push_back(std::move(**o));
  }
  return ok_result();
}

result<std::vector<order_record>> state_store::list_open_orders() const {
  std::vector<order_record> out;
  auto r = read([&](const lmdb_txn& txn) { return collect_open_orders(txn, out); });
  if (!r)
    return r.error();
  return out;
}

result<std::optional<gate_record>> state_store::get_gate() const {
  return get_one<gate_record>([&](const auto& fn) { return read(fn); }, find_dbi("gate"), "gate", gate_key);
}

result<std::optional<pnl_bucket>> state_store::get_pnl(std::string_view key) const {
  return get_one<pnl_bucket>([&](const auto& fn) { return read(fn); }, find_dbi("pnl"), "pnl", key);
}

result<std::optional<nav_mark>> state_store::get_nav_high_water() const {
  return get_one<nav_mark>([&](const auto& fn) { return read(fn); }, find_dbi("pnl"), "pnl", pnl_hwm_key);
}

result<portfolio_snapshot> state_store::read_portfolio(ts_ns now) const {
  portfolio_snapshot snap;
  snap.taken_at = now;
  auto r = read([&](const lmdb_txn& txn) -> result<void> {
    if (auto p = collect(txn, find_dbi("positions"), "positions", snap.positions); !p)
      return p;
    if (auto o = collect_open_orders(txn, snap.open_orders); !o)
      return o;
    auto bucket = [&](const std::string& key, pnl_bucket& out) -> result<void> {
      auto b = get_in<pnl_bucket>(txn, find_dbi("pnl"), "pnl", key);
      if (!b)
        return b.error();
      out = b->value_or(pnl_bucket{});
      return ok_result();
    };
    if (auto b = bucket(pnl_day_key(now), snap.today); !b)
      return b;
    if (auto b = bucket(pnl_week_key(now), snap.this_week); !b)
      return b;
    if (auto b = bucket(pnl_total_key, snap.total); !b)
      return b;
    auto hwm = get_in<nav_mark>(txn, find_dbi("pnl"), "pnl", pnl_hwm_key);
    if (!hwm)
      return hwm.error();
    snap.nav_high_water = *hwm;
    auto gate = get_in<gate_record>(txn, find_dbi("gate"), "gate", gate_key);
    if (!gate)
      return gate.error();
    snap.gate = *gate;
    return ok_result();
  });
  if (!r)
    return r.error();
  return snap;
}

result<std::vector<fill_record>> state_store::last_fills(std::size_t n) const {
  auto all = list<fill_record>();
  if (!all)
    return all.error();
  auto& v = *all;
  std::sort(v.begin(), v.end(), [](const fill_record& a, const fill_record& b) {
    return a.ts_recv != b.ts_recv ? a.ts_recv > b.ts_recv : a.trade.value > b.trade.value;
  });
  if (v.size() > n)
    v.resize(n);
  return all;
}

result<std::map<std::string, std::size_t>> state_store::counts() const {
  std::map<std::string, std::size_t> out;
  auto r = read([&](const lmdb_txn& txn) -> result<void> {
    for (const auto& [name, d] : dbis_) {
      MDB_stat st{};
      if (int rc = mdb_stat(txn.raw(), d, &st); rc != 0)
        return lmdb_error(rc, "mdb_stat", store_errc::read_failed, name);
      out[name] = st.ms_entries;
    }
    return ok_result();
  });
  if (!r)
    return r.error();
  return out;
}

verify_report state_store::verify() const {
  std::shared_lock rl(resize_mu_);
  return verify_env(*env_);
}

result<void> state_store::backup(const std::string& dest) const {
  std::error_code ec;
  std::filesystem::create_directories(dest, ec);
  if (ec)
    return make_error(store_errc::backup_failed, "cannot create " + dest + ": " + ec.message());
  if (std::filesystem::exists(std::filesystem::path(dest) / "data.mdb"))
    return make_error(store_errc::backup_failed, dest + "/data.mdb exists; refusing to overwrite it");
  std::shared_lock rl(resize_mu_);
  return env_->copy_compact(dest);
}

} // namespace trader::persistence
