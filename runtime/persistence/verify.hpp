#pragma once
// The integrity check: every record of every database is decoded, checked against its
// checksum and looked up again by key; every database's record count is compared with
// LMDB's own (mdb_stat); the ledger's invariants (PnL buckets against each other and
// against the fills, a position for every product with fills), the free list, the file
// size and the commit counter against the high-water mark (high_water.hpp) are checked too.
// LMDB 0.9 has no page checksums and a corrupted page can crash the reader, so the check
// normally runs in a forked child process (verify_in_child) and a crash is a failed check.

#include "runtime/persistence/store_error.hpp"

#include <chrono>
#include <cstdint>
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
  std::uint64_t commit_seq = 0;               ///< meta/commit (0 if absent or not read).
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
/// "verify crashed with signal N", one running past timeout is killed and reported. The
/// child dies with its parent (PR_SET_PDEATHSIG) and closes every inherited descriptor but
/// its pipe first (the instance lock's flock must not outlive traderd in it). Fork only
/// from a single-threaded process (traderd at start, traderctl); a threaded one uses
/// verify_process (verify_spawn.hpp). timeout 0 = verify_timeout_for(size of data.mdb).
verify_report verify_in_child(const std::string& dir, std::chrono::seconds timeout = std::chrono::seconds{0});

/// A verify timeout for a data file of `bytes`: 60 s plus 1 s per 8 MiB (a healthy store
/// verifies at well over 50 MiB/s; see docs/state.md), so a large store is never killed
/// as "crashed" for its size.
std::chrono::seconds verify_timeout_for(std::uintmax_t bytes);

/// verify_timeout_for the data.mdb in dir (60 s when it cannot be sized).
std::chrono::seconds verify_timeout_for_dir(const std::string& dir);

/// The report in the line format a verify child writes to its parent ("S\t3\n", "C\t…",
/// "P\t…", ending "E\n").
std::string serialize_report(const verify_report& rep);

/// Parses serialize_report's text into rep; false when the text is incomplete (no "E" line).
bool parse_report(const std::string& text, verify_report& rep);

} // namespace trader::persistence
