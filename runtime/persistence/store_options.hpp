#pragma once
// Options of open_store().

#include <chrono>
#include <cstddef>
#include <string>

namespace trader::persistence {

/// How to open the state store.
struct store_options {
  std::size_t map_size = std::size_t{256} << 20;      ///< Initial map size, bytes.
  std::size_t max_map_size = std::size_t{16} << 30;   ///< Growth on MDB_MAP_FULL stops here.
  unsigned max_readers = 126;                         ///< LMDB reader slots.
  bool read_only = false;                             ///< inspect/verify/backup: never write.
  /// Create a new store when data.mdb is absent, but only in a directory that never had
  /// one (store_history). traderd opens with false: a store is created by `traderctl state
  /// init`, never by the daemon.
  bool create_if_missing = true;
  bool verify_first = true;                           ///< verify_in_child before opening.
  /// Child verify is killed after this; 0 = scaled to the file size (verify_timeout_for).
  std::chrono::seconds verify_timeout{0};
  bool no_sync = false;                               ///< Benchmark only: commits not fsynced.
  std::string written_by = "traderd";                 ///< Provenance in the schema record.
};

} // namespace trader::persistence
