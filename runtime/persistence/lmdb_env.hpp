#pragma once
// RAII over an LMDB environment, its transactions and its named databases, with LMDB
// return codes mapped to store_error. No policy here: the state_store decides what to
// retry (only MDB_MAP_FULL, once) and what poisons the store.

#include "runtime/persistence/result.hpp"

#include <lmdb.h>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace trader::persistence {

/// How to open an environment.
struct env_options {
  std::size_t map_size = std::size_t{64} << 20;  ///< Map size, bytes; 0 = as stored in the file.
  unsigned max_dbs = 16;                         ///< Named databases (we use 13).
  unsigned max_readers = 126;                    ///< Reader slots.
  bool read_only = false;                        ///< MDB_RDONLY (inspect, verify, backup).
  bool no_sync = false;                          ///< MDB_NOSYNC: benchmark only, never in traderd.
};

/// Maps an LMDB/errno return code to a store_error; `fallback` is used for plain errno
/// values (EIO, ENOSPC…) and says whether the failing step was a read or a write.
store_error lmdb_error(int rc, std::string_view what, store_errc fallback, std::string db = {},
                       std::string key = {});

/// An open MDB_env (MDB_NOTLS: read transactions may move between threads).
class lmdb_env {
public:
  /// Opens the environment in directory dir (data.mdb + lock.mdb).
  static result<std::unique_ptr<lmdb_env>> open(const std::string& dir, const env_options& opts);
  ~lmdb_env();
  lmdb_env(const lmdb_env&) = delete;
  lmdb_env& operator=(const lmdb_env&) = delete;

  MDB_env* raw() const { return env_; }
  const std::string& dir() const { return dir_; }
  bool read_only() const { return opts_.read_only; }
  /// Current map size in bytes.
  std::size_t map_size() const;
  /// Sets a new map size; only when no transaction of this process is active.
  result<void> set_map_size(std::size_t bytes);
  /// Adopts a map size grown by another process (after MDB_MAP_RESIZED).
  result<void> adopt_map_size();
  /// mdb_reader_check: clears slots of dead readers; returns how many.
  result<int> reader_check();
  /// mdb_env_copy2(MDB_CP_COMPACT) into directory dest (which must not hold data.mdb).
  result<void> copy_compact(const std::string& dest) const;

private:
  lmdb_env(MDB_env* env, std::string dir, const env_options& opts) : env_(env), dir_(std::move(dir)), opts_(opts) {}
  MDB_env* env_;
  std::string dir_;
  env_options opts_;
};

/// A transaction; aborted on destruction unless committed.
class lmdb_txn {
public:
  /// Begins a transaction (read-only when rdonly).
  static result<lmdb_txn> begin(const lmdb_env& env, bool rdonly);
  lmdb_txn(lmdb_txn&& o) noexcept : txn_(o.txn_) { o.txn_ = nullptr; }
  lmdb_txn& operator=(lmdb_txn&&) = delete;
  ~lmdb_txn() { abort(); }

  MDB_txn* raw() const { return txn_; }
  /// Commits; the returned code is LMDB's (0, MDB_MAP_FULL, EIO…). Never retried on error.
  int commit();
  void abort();

  /// Opens (create=true: creates) a named database; nullopt if absent and !create.
  result<std::optional<MDB_dbi>> open_db(const char* name, bool create) const;
  /// The value under key, or nullopt; the view is valid until the txn ends.
  result<std::optional<std::string_view>> get(MDB_dbi dbi, const char* db, std::string_view key) const;
  /// Puts a value (flags: 0 or MDB_NOOVERWRITE); returns the raw code (MDB_KEYEXIST…).
  int put(MDB_dbi dbi, std::string_view key, std::string_view value, unsigned flags);
  /// Deletes a key; MDB_NOTFOUND is returned raw.
  int del(MDB_dbi dbi, std::string_view key);
  /// Calls fn(key, value) for each record in key order until fn returns false.
  result<void> for_each(MDB_dbi dbi, const char* db,
                        const std::function<bool(std::string_view, std::string_view)>& fn) const;

private:
  explicit lmdb_txn(MDB_txn* t) : txn_(t) {}
  MDB_txn* txn_;
};

/// MDB_val over a string_view.
inline MDB_val to_val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
/// string_view over an MDB_val.
inline std::string_view from_val(const MDB_val& v) {
  return {static_cast<const char*>(v.mv_data), v.mv_size};
}

} // namespace trader::persistence
