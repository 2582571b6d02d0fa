#pragma once
// The typed error of the state store. Every failure of the store becomes one of these;
// the caller (the `state` actor) closes the trading gate with reason state_unavailable.

#include <string>

namespace trader::persistence {

/// What went wrong. No `default:` over this enum: every code is handled by name.
enum class store_errc {
  none,            ///< No error (default-constructed).
  open_failed,     ///< The environment could not be opened (permissions, missing dir, bad file).
  truncated,       ///< data.mdb is shorter than its own metadata says.
  corrupted,       ///< LMDB reports a corrupted page (MDB_CORRUPTED, MDB_PAGE_NOTFOUND...).
  decode_failed,   ///< A record failed to decode (truncation, checksum, bad enum); names db+key.
  version_unknown, ///< A record or the store carries a version this binary never wrote.
  version_newer,   ///< The store or a record was written by a newer binary; refuse it.
  map_full,        ///< The map is full even after growing it once.
  write_failed,    ///< A write or commit (including its fsync) failed; never retried.
  panic,           ///< MDB_PANIC: the environment is unusable; fatal for this store.
  lock_held,       ///< Another process holds the instance lock (message names its PID).
  verify_failed,   ///< The integrity check found problems.
  verify_crashed,  ///< The integrity check's child process died on a signal or timed out.
  duplicate,       ///< An insert met an existing key it must not overwrite (order intent).
  not_found,       ///< A record that must exist (an order being updated) does not.
  store_failed,    ///< An earlier write failure poisoned the store; reopen after repair.
  read_failed,     ///< A read transaction could not be started or a read failed.
  backup_failed,   ///< mdb_env_copy2 failed.
  invalid_argument, ///< The caller passed something the store refuses (empty key...).
  missing,         ///< No data.mdb where a store must be (never created here, or lost).
  rolled_back,     ///< The store is older than its high-water mark: committed writes were lost.
};

/// The last code (for loops over every code).
inline constexpr store_errc last_store_errc = store_errc::rolled_back;

/// Stable lower-case name of a code ("decode_failed").
const char* to_string(store_errc code);

/// A store failure: code, human message, and where (db and key) when a record is involved.
struct store_error {
  store_errc code = store_errc::none;
  std::string message;  ///< Human text, e.g. "checksum mismatch".
  std::string db;       ///< Named database, or empty.
  std::string key;      ///< Record key (printable), or empty.
  int lmdb_rc = 0;      ///< The LMDB or errno code behind it, 0 if none.

  /// "decode_failed: db=orders key=abc: checksum mismatch".
  std::string describe() const;
};

/// Builds a store_error.
store_error make_error(store_errc code, std::string message, std::string db = {}, std::string key = {},
                       int rc = 0);

} // namespace trader::persistence
