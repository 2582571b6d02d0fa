#include "runtime/persistence/state_store.hpp"

#include "runtime/clock.hpp"
#include "runtime/persistence/codec.hpp"

#include <algorithm>

namespace trader::persistence {

state_store::state_store(std::unique_ptr<lmdb_env> env, store_options opts)
  : env_(std::move(env)), opts_(std::move(opts)) {}

state_store::~state_store() = default;

MDB_dbi state_store::dbi(const std::string& name) const { return dbis_.at(name); }

std::optional<store_error> state_store::failure() const {
  std::lock_guard lk(failure_mu_);
  return failure_;
}

result<void> state_store::poison(store_error err) {
  std::lock_guard lk(failure_mu_);
  if (!failure_)
    failure_ = err;
  return err;
}

result<int> state_store::check_readers() { return env_->reader_check(); }

result<void> state_store::index_order(lmdb_txn& txn, std::string_view key, std::string_view value) {
  auto o = decode_as<order_record>(key, value);
  if (!o)
    return o.error();
  if (is_open(o->status)) {
    if (int rc = txn.put(dbi("open_orders"), key, encode(key, open_order_ref{o->status}), 0); rc != 0)
      return lmdb_error(rc, "mdb_put", store_errc::write_failed, "open_orders", printable_key(key));
  } else if (int rc = txn.del(dbi("open_orders"), key); rc != 0 && rc != MDB_NOTFOUND) {
    return lmdb_error(rc, "mdb_del", store_errc::write_failed, "open_orders", printable_key(key));
  }
  return ok_result();
}

// -- the write path --------------------------------------------------------------------

result<void> state_store::write(const std::function<result<void>(lmdb_txn&)>& fn, const bool* changed) {
  if (opts_.read_only)
    return make_error(store_errc::invalid_argument, "store is open read-only");
  if (auto f = failure())
    return make_error(store_errc::store_failed, "store refuses writes after an earlier failure: " + f->describe());
  std::lock_guard wl(write_mu_);
  for (int attempt = 0;; ++attempt) {
    store_error err;
    std::uint64_t seq = 0;
    bool committed = false;
    {
      std::shared_lock rl(resize_mu_);
      auto txn = lmdb_txn::begin(*env_, false);
      result<void> r = txn ? fn(*txn) : result<void>{txn.error()};
      if (r && (!changed || *changed))
        r = bump_commit(*txn, seq);
      if (!r) {
        if (txn)
          txn->abort();
        err = r.error();
      } else if (int rc = txn->commit(); rc != 0) {  // fsync happens here; a failure is final, never retried
        err = lmdb_error(rc, "mdb_txn_commit", store_errc::write_failed);
      } else {
        committed = true;
      }
    }
    if (committed) {
      // Durable: only now may the high-water mark say so (it must never run ahead).
      if (hwm_ && seq > 0)
        if (auto h = hwm_->record(seq, system_time_source::instance().wall_now()); !h) {
          auto e = h.error();
          e.message = "commit #" + std::to_string(seq) + " is durable, but the high-water mark could not record it: "
                      + e.message;
          return poison(e);
        }
      return ok_result();
    }
    if (err.code == store_errc::map_full && attempt == 0) {
      std::unique_lock ul(resize_mu_);  // no txn of ours is active now
      auto cur = env_->map_size();
      if (cur >= opts_.max_map_size)
        return poison(make_error(store_errc::map_full, "map full at max_map_size " + std::to_string(cur)));
      auto grown = env_->set_map_size(std::min(cur * 2, opts_.max_map_size));
      if (!grown)
        return poison(grown.error());
      continue;
    }
    switch (err.code) {
      case store_errc::map_full:
        err.message += " (after growing the map once)";
        return poison(err);
      case store_errc::write_failed:
      case store_errc::panic:
      case store_errc::corrupted:
      case store_errc::open_failed:
      case store_errc::truncated:
      case store_errc::read_failed: return poison(err);
      case store_errc::none:
      case store_errc::decode_failed:
      case store_errc::version_unknown:
      case store_errc::version_newer:
      case store_errc::lock_held:
      case store_errc::verify_failed:
      case store_errc::verify_crashed:
      case store_errc::duplicate:
      case store_errc::not_found:
      case store_errc::store_failed:
      case store_errc::backup_failed:
      case store_errc::invalid_argument:
      case store_errc::missing:
      case store_errc::rolled_back: return err;  // logical refusal: nothing was written
    }
    return err;
  }
}

result<std::uint64_t> state_store::commit_seq() const {
  std::uint64_t seq = 0;
  auto r = read([&](const lmdb_txn& txn) -> result<void> {
    auto meta = find_dbi("meta");
    if (!meta)
      return ok_result();
    auto raw = txn.get(*meta, "meta", commit_key);
    if (!raw)
      return raw.error();
    if (!*raw)
      return ok_result();
    auto mark = decode_as<commit_mark>(commit_key, **raw);
    if (!mark)
      return mark.error();
    seq = mark->seq;
    return ok_result();
  });
  if (!r)
    return r.error();
  return seq;
}

result<void> state_store::bump_commit(lmdb_txn& txn, std::uint64_t& seq) {
  auto raw = txn.get(dbi("meta"), "meta", commit_key);
  if (!raw)
    return raw.error();
  commit_mark mark;
  if (*raw) {
    auto cur = decode_as<commit_mark>(commit_key, **raw);
    if (!cur)
      return cur.error();
    mark = *cur;
  }
  mark.seq += 1;
  mark.at = system_time_source::instance().wall_now();
  seq = mark.seq;
  if (int rc = txn.put(dbi("meta"), commit_key, encode(commit_key, mark), 0); rc != 0)
    return lmdb_error(rc, "mdb_put", store_errc::write_failed, "meta", commit_key);
  return ok_result();
}

result<void> state_store::apply(lmdb_txn& txn, const write_batch::op& op, batch_outcome& out) {
  using k = write_batch::op_kind;
  auto put_raw = [&](const std::string& db, std::string_view key, std::string_view value,
                     unsigned flags) -> int { return txn.put(dbi(db), key, value, flags); };
  auto fail = [&](int rc, const char* what) {
    return lmdb_error(rc, what, store_errc::write_failed, op.db, printable_key(op.key));
  };
  switch (op.kind) {
    case k::put:
      if (int rc = put_raw(op.db, op.key, op.value, 0); rc != 0)
        return fail(rc, "mdb_put");
      return op.db == "orders" ? index_order(txn, op.key, op.value) : ok_result();
    case k::insert_strict: {
      int rc = put_raw(op.db, op.key, op.value, MDB_NOOVERWRITE);
      if (rc == MDB_KEYEXIST)
        return make_error(store_errc::duplicate, "already recorded; not overwritten", op.db, printable_key(op.key));
      if (rc != 0)
        return fail(rc, "mdb_put");
      return op.db == "orders" ? index_order(txn, op.key, op.value) : ok_result();
    }
    case k::insert_dedupe: {
      int rc = put_raw(op.db, op.key, op.value, MDB_NOOVERWRITE);
      if (rc == MDB_KEYEXIST)
        out.duplicate_fills.push_back(trade_id{op.key});
      else if (rc != 0)
        return fail(rc, "mdb_put");
      return ok_result();
    }
    case k::erase: {
      int rc = txn.del(dbi(op.db), op.key);
      if (rc != 0 && rc != MDB_NOTFOUND)
        return fail(rc, "mdb_del");
      return ok_result();
    }
    case k::pnl_add:
      for (const auto& key : {pnl_day_key(op.at), pnl_week_key(op.at), std::string(pnl_total_key)}) {
        auto raw = txn.get(dbi("pnl"), "pnl", key);
        if (!raw)
          return raw.error();
        pnl_bucket b;
        if (*raw) {
          auto cur = decode_as<pnl_bucket>(key, **raw);
          if (!cur)
            return cur.error();
          b = *cur;
        }
        b.realized += op.a;
        b.fees += op.b;
        b.fills += 1;
        b.updated_at = op.at;
        if (int rc = put_raw("pnl", key, encode(key, b), 0); rc != 0)
          return lmdb_error(rc, "mdb_put", store_errc::write_failed, "pnl", key);
      }
      return ok_result();
    case k::nav: {
      auto raw = txn.get(dbi("pnl"), "pnl", pnl_hwm_key);
      if (!raw)
        return raw.error();
      if (*raw) {
        auto cur = decode_as<nav_mark>(pnl_hwm_key, **raw);
        if (!cur)
          return cur.error();
        if (cur->nav >= op.a)
          return ok_result();
      }
      if (int rc = put_raw("pnl", pnl_hwm_key, encode(pnl_hwm_key, nav_mark{op.a, op.at}), 0); rc != 0)
        return fail(rc, "mdb_put");
      return ok_result();
    }
  }
  return ok_result();
}

result<batch_outcome> state_store::commit(const write_batch& batch) {
  batch_outcome out;
  auto r = write([&](lmdb_txn& txn) -> result<void> {
    out = {};
    for (const auto& op : batch.ops())
      if (auto a = apply(txn, op, out); !a)
        return a;
    return ok_result();
  });
  if (!r)
    return r.error();
  return out;
}

// -- typed writes ------------------------------------------------------------------------

result<void> state_store::record_order_intent(const order_record& intent) {
  if (intent.id.empty())
    return make_error(store_errc::invalid_argument, "order intent without client order id", "orders");
  write_batch b;
  b.insert_order_intent(intent);
  return discard(commit(b));
}

result<void> state_store::update_order(const order_record& order) {
  auto key = key_of(order);
  auto value = encode(key, order);
  return write([&](lmdb_txn& txn) -> result<void> {
    auto cur = txn.get(dbi("orders"), "orders", key);
    if (!cur)
      return cur.error();
    if (!*cur)
      return make_error(store_errc::not_found, "order intent was never recorded", "orders", printable_key(key));
    if (int rc = txn.put(dbi("orders"), key, value, 0); rc != 0)
      return lmdb_error(rc, "mdb_put", store_errc::write_failed, "orders", printable_key(key));
    return index_order(txn, key, value);
  });
}

result<fill_insert> state_store::record_fill(const fill_record& fill, const write_batch& then) {
  if (fill.trade.empty())
    return make_error(store_errc::invalid_argument, "fill without trade id", "fills");
  auto key = key_of(fill);
  auto value = encode(key, fill);
  bool duplicate = false;
  auto r = write([&](lmdb_txn& txn) -> result<void> {
    duplicate = false;
    int rc = txn.put(dbi("fills"), key, value, MDB_NOOVERWRITE);
    if (rc == MDB_KEYEXIST) {
      duplicate = true;
      return ok_result();  // nothing else is written for a fill we already have
    }
    if (rc != 0)
      return lmdb_error(rc, "mdb_put", store_errc::write_failed, "fills", printable_key(key));
    batch_outcome out;
    for (const auto& op : then.ops())
      if (auto a = apply(txn, op, out); !a)
        return a;
    return ok_result();
  });
  if (!r)
    return r.error();
  return duplicate ? fill_insert::duplicate : fill_insert::inserted;
}

result<void> state_store::put_gate(const gate_record& gate) {
  write_batch b;
  b.put_gate(gate);
  return discard(commit(b));
}

result<void> state_store::add_realized_pnl(ts_ns at, notional realized, notional fees) {
  write_batch b;
  b.add_realized_pnl(at, realized, fees);
  return discard(commit(b));
}

result<void> state_store::update_nav(notional nav, ts_ns at) {
  write_batch b;
  b.update_nav(nav, at);
  return discard(commit(b));
}

result<void> state_store::add_config_runtime(const std::string& hash, bool live, std::int64_t seconds, ts_ns now) {
  if (hash.empty())
    return make_error(store_errc::invalid_argument, "empty config hash", "config_hashes");
  return write([&](lmdb_txn& txn) -> result<void> {
    auto raw = txn.get(dbi("config_hashes"), "config_hashes", hash);
    if (!raw)
      return raw.error();
    config_hash_record rec{hash, now, now, 0, 0};
    if (*raw) {
      auto cur = decode_as<config_hash_record>(hash, **raw);
      if (!cur)
        return cur.error();
      rec = *cur;
    }
    rec.last_seen = now;
    (live ? rec.live_seconds : rec.paper_seconds) += seconds;
    if (int rc = txn.put(dbi("config_hashes"), hash, encode(hash, rec), 0); rc != 0)
      return lmdb_error(rc, "mdb_put", store_errc::write_failed, "config_hashes", printable_key(hash));
    return ok_result();
  });
}

} // namespace trader::persistence
