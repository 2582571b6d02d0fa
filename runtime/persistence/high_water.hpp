#pragma once
// The commit high-water mark, kept outside the LMDB file.
//
// Every write transaction raises the store's commit counter (meta/commit) by one. After the
// commit is durable, the writer records the counter in <state_dir>/store.hwm (pwrite +
// fdatasync). LMDB 0.9 does not checksum its meta pages: one damaged byte in the newest
// meta page's txnid makes LMDB use the previous one, silently rolling back the last durable
// commit; an older copy of data.mdb put in place does the same. Either way the store's
// counter is then below the file's, and open_store / verify refuse it (`rolled_back`).
//
// The file holds two 32-byte slots 512 bytes apart (different sectors), written in turn:
// a torn write damages one slot only, and the other still holds the previous value, which
// is never above the truth. Slot: magic "247HWM1\0", seq u64, at i64, crc32c u32, 0 u32.
//
// The same state directory's history: store.hwm inside it, and a marker file next to it
// (<state_dir>.store-created, written by `traderctl state init`) that survives the
// directory being moved aside. A store is created only where neither exists.

#include "runtime/persistence/result.hpp"
#include "messages/time.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace trader::persistence {

/// File name of the high-water mark inside the state directory.
inline constexpr const char* high_water_file_name = "store.hwm";

/// What store.hwm says: the newest commit known to be durable.
struct high_water {
  std::uint64_t seq = 0;
  ts_ns at = 0;
};

/// Reads dir/store.hwm: nullopt when it does not exist; `corrupted` when it exists but
/// neither slot is valid.
result<std::optional<high_water>> read_high_water(const std::string& dir);

/// `rolled_back` when a store whose commit counter is store_seq is older than the mark
/// (read_high_water); ok when it is as new or newer, or when there is no mark. A reader beside
/// a live writer must read the mark before the commit counter: the writer raises the mark only
/// after its commit is durable, so read the other way round a commit landing in between looks
/// like a rollback.
result<void> check_high_water(const std::optional<high_water>& hw, std::uint64_t store_seq);

/// Replaces dir/store.hwm with one holding seq (temp file, fsync, rename, directory fsync):
/// the explicit new baseline after `state restore` or `state init`.
result<void> reset_high_water(const std::string& dir, std::uint64_t seq, ts_ns at);

/// The writer side: keeps store.hwm open and records each durable commit.
class high_water_writer {
public:
  /// Opens (creating) dir/store.hwm. sync=false skips fdatasync (no_sync stores only).
  static result<std::unique_ptr<high_water_writer>> open(const std::string& dir, bool sync);
  ~high_water_writer();
  high_water_writer(const high_water_writer&) = delete;
  high_water_writer& operator=(const high_water_writer&) = delete;

  /// Writes seq into slot seq % 2 and fdatasyncs; write_failed when either fails.
  result<void> record(std::uint64_t seq, ts_ns at);

private:
  high_water_writer(int fd, std::string path, bool sync) : fd_(fd), path_(std::move(path)), sync_(sync) {}
  int fd_;
  std::string path_;
  bool sync_;
};

/// The marker next to the state directory: "<dir>.store-created" (a trailing '/' ignored).
std::string store_marker_path(const std::string& dir);

/// Why dir is known to have had a store (store.hwm inside it, or the marker next to it), or
/// nullopt when it never had one. Used to refuse creating a new store over a lost one.
std::optional<std::string> store_history(const std::string& dir);

/// Writes the marker next to dir (fsynced, with the parent directory); false and why when
/// the parent is not writable.
bool write_store_marker(const std::string& dir, ts_ns at, std::string& why);

} // namespace trader::persistence
