#pragma once
// `traderctl state …` without the CLI: each function takes the state directory and
// streams, prints its result and returns the process exit code
// (0 = ok, 1 = the store has problems or the operation failed, 2 = bad arguments).
// inspect, verify and backup are offline and read-only on the live store; they run next to
// a running traderd safely (LMDB readers never block the writer). init and restore take
// the instance lock (refused while traderd runs).

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

/// `traderctl state init [--force]`: creates the first store in dir (init_store). Exit 0
/// when created or when a store already exists (nothing touched: safe in ExecStartPre), 1
/// when dir had a store that is gone (restore it, or --force) or creation failed.
int run_state_init(const std::string& dir, bool force, std::ostream& out, std::ostream& err);

/// `traderctl state restore BACKUP_DIR`: verifies BACKUP_DIR/data.mdb, takes the instance
/// lock of dir (refused while traderd runs), refuses if dir already holds a data.mdb (move
/// the damaged directory aside first: nothing is ever overwritten), copies the backup in
/// (temp file, fsync, rename), sets the high-water mark to the backup's commit counter (the
/// operator accepts the rollback explicitly) and verifies the result.
int run_state_restore(const std::string& backup_dir, const std::string& dir, std::ostream& out, std::ostream& err);

} // namespace trader::persistence
