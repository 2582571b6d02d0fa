#pragma once
// `traderctl state …` without the CLI: each function takes the state directory and
// streams, prints its result and returns the process exit code
// (0 = ok, 1 = the store has problems or the operation failed, 2 = bad arguments).
// All three are offline and read-only on the live store; they run next to a running
// traderd safely (LMDB readers never block the writer).

#include <iosfwd>
#include <string>

namespace trader::persistence {

/// `traderctl state inspect [--json]`: verifies in a child, then prints counts, gate,
/// positions, open orders and the last fills.
int run_state_inspect(const std::string& dir, bool json, std::ostream& out, std::ostream& err);

/// `traderctl state verify [--json]`: decodes every record in a child process; prints the
/// problems (exit 1) or "ok" with counts (exit 0).
int run_state_verify(const std::string& dir, bool json, std::ostream& out, std::ostream& err);

/// `traderctl state backup DEST`: verifies, then writes a compacting copy to DEST/data.mdb
/// (DEST is created; an existing DEST/data.mdb is never overwritten) and verifies the copy.
int run_state_backup(const std::string& dir, const std::string& dest, std::ostream& out, std::ostream& err);

/// `traderctl state restore BACKUP_DIR`: verifies BACKUP_DIR/data.mdb, takes the instance
/// lock of dir (refused while traderd runs), refuses if dir already holds a data.mdb (move
/// the damaged directory aside first: nothing is ever overwritten), copies the backup in
/// (temp file, fsync, rename) and verifies the result.
int run_state_restore(const std::string& backup_dir, const std::string& dir, std::ostream& out, std::ostream& err);

} // namespace trader::persistence
