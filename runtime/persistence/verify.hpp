#pragma once
// The integrity check: every record of every database is decoded, checked against its
// checksum and looked up again by key; the free list and the file size are checked too.
// LMDB 0.9 has no page checksums and a corrupted page can crash the reader, so the check
// normally runs in a forked child process (verify_in_child) and a crash is a failed check.

#include "runtime/persistence/store_error.hpp"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace trader::persistence {

class lmdb_env;

/// One problem found by verify.
struct verify_problem {
  store_errc code = store_errc::decode_failed;
  std::string db;
  std::string key;
  std::string message;

  /// "decode_failed db=orders key=abc: checksum mismatch".
  std::string describe() const;
};

/// What verify found.
struct verify_report {
  std::vector<verify_problem> problems;       ///< Empty when the store is sound.
  std::map<std::string, std::size_t> counts;  ///< Records per database.
  std::uint32_t schema_version = 0;           ///< From meta (0 if absent).
  bool crashed = false;                       ///< The child died on a signal or timed out.
  int signal = 0;                             ///< The signal, when crashed.

  bool ok() const { return problems.empty() && !crashed; }
  /// The problems as a store_error (code of the most telling problem), for open_store.
  store_error to_error() const;
};

/// Verifies an open environment in this process (may crash on a corrupted page!).
verify_report verify_env(const lmdb_env& env);

/// Opens the store in dir read-only and verifies it in this process.
verify_report verify_dir(const std::string& dir);

/// Runs verify_dir(dir) in a forked child; a child killed by a signal becomes
/// "verify crashed with signal N", one running past timeout is killed and reported.
verify_report verify_in_child(const std::string& dir, std::chrono::seconds timeout = std::chrono::seconds{60});

} // namespace trader::persistence
