#pragma once
// The state store: typed access to the named databases of one LMDB environment.
// One writer (the `state` actor); any number of readers, each read in its own read
// transaction so it never blocks the writer. Durable: every commit is fsynced unless the
// store was opened with no_sync (benchmark only). Fails closed: a write that fails (I/O,
// fsync, map full after one growth, MDB_PANIC) poisons the store, every later write is
// refused with the original error, and nothing is retried or overwritten. Every commit
// raises the store's commit counter (meta/commit) and then records it in store.hwm, the
// high-water mark outside the LMDB file (high_water.hpp) that exposes a silent rollback.

#include "runtime/persistence/high_water.hpp"
#include "runtime/persistence/lmdb_env.hpp"
#include "runtime/persistence/result.hpp"
#include "runtime/persistence/snapshot.hpp"
#include "runtime/persistence/store_options.hpp"
#include "runtime/persistence/verify.hpp"
#include "runtime/persistence/write_batch.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <vector>

namespace trader::persistence {

/// Outcome of inserting a fill.
enum class fill_insert { inserted, duplicate };

/// The typed facade over the store. Create it with open_store().
class state_store {
public:
  ~state_store();
  state_store(const state_store&) = delete;
  state_store& operator=(const state_store&) = delete;

  // -- writes (durable before they return) -------------------------------------------

  /// Write-ahead: commits a new order intent durably; only after success may it be sent.
  /// An existing client order id is refused with `duplicate` (never overwritten).
  result<void> record_order_intent(const order_record& intent);
  /// Replaces an existing order (state change); `not_found` if the intent was never recorded.
  result<void> update_order(const order_record& order);
  /// Inserts a fill unless its trade id exists; `then` (position, PnL…) commits in the same
  /// transaction only when the fill is new.
  result<fill_insert> record_fill(const fill_record& fill, const write_batch& then = {});
  /// Upserts any keyed record (positions, cooldowns, bans, config hashes, secrets, latency).
  template <class T>
  result<void> put(const T& rec) {
    write_batch b;
    b.put(rec);
    return discard(commit(b));
  }
  /// Replaces the persisted trading gate.
  result<void> put_gate(const gate_record& gate);
  /// Adds realized PnL to the day, ISO week and total buckets of `at`.
  result<void> add_realized_pnl(ts_ns at, notional realized, notional fees);
  /// Raises the NAV high-water mark when nav is above it.
  result<void> update_nav(notional nav, ts_ns at);
  /// Adds seconds of running time in LIVE (live=true) or PAPER mode to a config hash,
  /// creating its entry (first_seen = now) and setting last_seen = now.
  result<void> add_config_runtime(const std::string& hash, bool live, std::int64_t seconds, ts_ns now);
  /// Commits every write of the batch in one transaction (all or nothing).
  result<batch_outcome> commit(const write_batch& batch);

  // -- reads (each in its own read transaction) ------------------------------------------

  /// One keyed record by key, or nullopt.
  template <class T>
  result<std::optional<T>> get(std::string_view key) const;
  /// Every record of T's database, in key order.
  template <class T>
  result<std::vector<T>> list() const;
  /// Orders in an open state (via the open_orders index), by client order id.
  result<std::vector<order_record>> list_open_orders() const;
  /// The persisted trading gate; nullopt on a fresh store.
  result<std::optional<gate_record>> get_gate() const;
  /// One PnL bucket by key (pnl_day_key(t), pnl_week_key(t), pnl_total_key).
  result<std::optional<pnl_bucket>> get_pnl(std::string_view key) const;
  /// The NAV high-water mark, if any.
  result<std::optional<nav_mark>> get_nav_high_water() const;
  /// Positions, open orders, PnL buckets of now's day/week, gate: one consistent snapshot.
  result<portfolio_snapshot> read_portfolio(ts_ns now) const;
  /// The newest `n` fills by receive time (newest first).
  result<std::vector<fill_record>> last_fills(std::size_t n) const;
  /// Records per database.
  result<std::map<std::string, std::size_t>> counts() const;
  /// The commit counter: how many write transactions this store has committed (0 if none
  /// was counted yet, e.g. a store written by an older binary before its first commit here).
  result<std::uint64_t> commit_seq() const;

  // -- maintenance ---------------------------------------------------------------------

  /// Decodes every record in this process (use verify_in_child for an untrusted file).
  verify_report verify() const;
  /// Compacting copy into directory dest (created if missing; must not hold data.mdb).
  result<void> backup(const std::string& dest) const;
  /// Clears reader slots of dead processes (call at start and periodically).
  result<int> check_readers();
  /// The error that poisoned the store, if any: then every write is refused.
  std::optional<store_error> failure() const;
  /// Poisons the store from outside (a periodic verify found damage): every later write is
  /// refused with err. The first failure is kept.
  void mark_failed(store_error err) { (void)poison(std::move(err)); }
  /// The schema version of the store (current_schema_version after open by this binary).
  std::uint32_t schema_version() const { return schema_version_; }
  /// Current map size in bytes.
  std::size_t map_size() const { return env_->map_size(); }
  const std::string& dir() const { return env_->dir(); }

private:
  friend result<std::unique_ptr<state_store>> open_store(const std::string& dir, const store_options& opts);
  state_store(std::unique_ptr<lmdb_env> env, store_options opts);
  result<void> open_dbs(bool fresh);
  /// Runs fn in a write txn and commits; MDB_MAP_FULL grows the map and retries once.
  /// Raises the commit counter, unless `changed` is given and fn left it false (then the
  /// txn wrote nothing and LMDB commits it without touching the disk).
  result<void> write(const std::function<result<void>(lmdb_txn&)>& fn, const bool* changed = nullptr);
  /// Runs fn in a read txn.
  result<void> read(const std::function<result<void>(const lmdb_txn&)>& fn) const;
  result<void> apply(lmdb_txn& txn, const write_batch::op& op, batch_outcome& out);
  /// Keeps the open_orders index in step with an order just written (encoded value).
  result<void> index_order(lmdb_txn& txn, std::string_view key, std::string_view value);
  /// Rebuilds the open_orders index from the orders db (new or upgraded stores).
  result<void> rebuild_order_index(lmdb_txn& txn);
  /// The open orders via the index, inside a read txn.
  result<void> collect_open_orders(const lmdb_txn& txn, std::vector<order_record>& out) const;
  MDB_dbi dbi(const std::string& name) const;
  /// The handle, or nullopt when a read-only open found no such db.
  std::optional<MDB_dbi> find_dbi(const std::string& name) const {
    auto it = dbis_.find(name);
    return it == dbis_.end() ? std::nullopt : std::optional<MDB_dbi>{it->second};
  }
  bool has_db(const std::string& name) const { return dbis_.count(name) != 0; }
  result<void> poison(store_error err);
  static result<void> discard(const result<batch_outcome>& r) {
    if (!r)
      return r.error();
    return ok_result();
  }

  /// Raises meta/commit by one inside txn; seq is the new value.
  result<void> bump_commit(lmdb_txn& txn, std::uint64_t& seq);

  std::unique_ptr<lmdb_env> env_;
  std::unique_ptr<high_water_writer> hwm_;  ///< Null for read-only stores.
  store_options opts_;
  std::map<std::string, MDB_dbi> dbis_;
  std::uint32_t schema_version_ = 0;
  mutable std::shared_mutex resize_mu_;  ///< Shared by txns; exclusive to grow the map.
  std::mutex write_mu_;                  ///< One writer at a time.
  mutable std::mutex failure_mu_;
  std::optional<store_error> failure_;
};

/// Opens the store in dir, failing closed: an existing data.mdb is first verified in a
/// child process; nothing is created or rewritten in a store that cannot be read, a store
/// written by a newer binary is refused (version_newer) and one older than its high-water
/// mark too (rolled_back). Without data.mdb: `missing`, unless opts.create_if_missing and
/// the directory never had a store (store_history), when a new store is created.
result<std::unique_ptr<state_store>> open_store(const std::string& dir, const store_options& opts = {});

} // namespace trader::persistence
