#pragma once
// The audit log: append-only JSONL, one event per line:
//   {"ts":"2026-11-21T17:03:04.123456789Z","seq":42,"kind":"risk_verdict","actor":"risk",
//    "config_hash":"9f2c…","payload":{…},"prev_hash":"3b1e…"}
// Files rotate daily (UTC): <dir>/audit-YYYY-MM-DD.jsonl; files older than retention_days
// are deleted, but never the newest retention_days files (a clock far ahead must not wipe
// the trail). seq is monotonic and continues after a restart (read from the last good
// line). prev_hash is the SHA-256 (hex) of the previous line's bytes, across files and
// restarts (64 zeros before the first line ever): editing, removing or inserting a line
// breaks the chain, which verify_audit_dir (`traderctl audit verify`) checks. A torn last
// line left by a crash is skipped by the reader, and the writer starts its next line on a
// fresh line, chained to the last good one.

#include "runtime/clock.hpp"
#include "runtime/persistence/result.hpp"

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace trader::persistence {

/// When appended lines reach the disk.
enum class audit_fsync {
  always,    ///< fdatasync after every event (default: an audit trail that survives power loss).
  interval,  ///< at most once per fsync_interval, and on flush()/close.
  never,     ///< leave it to the kernel (tests, backtest).
};

/// How to run the audit log.
struct audit_options {
  std::string dir;                                   ///< Created if missing.
  audit_fsync fsync = audit_fsync::always;
  std::chrono::milliseconds fsync_interval{1000};    ///< For audit_fsync::interval.
  int retention_days = 90;                           ///< Files of older UTC days are deleted (≥ 1).
  std::string config_hash;                           ///< Stamped on events that bring none.
};

/// One audit event as read back.
struct audit_event {
  ts_ns ts = 0;
  std::uint64_t seq = 0;
  std::string kind;         ///< "decision", "proposal", "risk_verdict", "order", "fill", "gate", "alert", "operator"…
  std::string actor;
  std::string config_hash;
  std::string payload;      ///< The payload as compact JSON text.
  std::string prev_hash;    ///< Empty on lines written before the chain existed.
  std::string hash;         ///< SHA-256 (hex) of this line's bytes, computed when read.
};

/// prev_hash of the first line ever written.
inline constexpr const char* audit_genesis_hash = "0000000000000000000000000000000000000000000000000000000000000000";

/// SHA-256 of bytes, lower-case hex.
std::string sha256_hex(std::string_view bytes);

/// What the append side has done since it opened (exported as metrics by the audit actor).
struct audit_stats {
  std::uint64_t appended = 0;  ///< Events written.
  std::uint64_t failed = 0;    ///< Appends that failed (open, write or fdatasync).
  std::uint64_t last_seq = 0;
};

/// The append side. Thread-safe.
class audit_log {
public:
  /// Opens (creating dir), deletes expired files, finds the last seq, repairs a torn tail.
  static result<std::unique_ptr<audit_log>> open(audit_options opts, const time_source& clock);
  ~audit_log();
  audit_log(const audit_log&) = delete;
  audit_log& operator=(const audit_log&) = delete;

  /// Appends one event; returns its seq. The line is written with a single write().
  /// config_hash: the configuration in force when the event's decision was made (the
  /// producer's); empty = the log's current one (set_config_hash).
  result<std::uint64_t> append(std::string_view kind, std::string_view actor, const nlohmann::json& payload,
                               std::string_view config_hash = {});
  /// fdatasync now (interval policy: call at shutdown).
  result<void> flush();
  /// Changes the config hash stamped on later events (after a reload).
  void set_config_hash(std::string hash);
  /// The seq of the last appended event (0 if none ever).
  std::uint64_t last_seq() const;
  /// The file currently appended to.
  std::string current_file() const;
  /// Deletes files older than retention_days before today, except the newest
  /// retention_days files; returns how many.
  int apply_retention();
  /// Counters since open.
  audit_stats stats() const;

private:
  audit_log(audit_options opts, const time_source& clock) : opts_(std::move(opts)), clock_(clock) {}
  result<void> open_for(ts_ns now);
  result<void> write_all(std::string_view bytes);

  audit_options opts_;
  const time_source& clock_;
  mutable std::mutex mu_;
  int fd_ = -1;
  std::string date_;  ///< UTC date of the open file.
  std::uint64_t seq_ = 0;
  std::string last_hash_ = audit_genesis_hash;  ///< Of the last line written (or read at open).
  std::uint64_t appended_ = 0;
  std::uint64_t failed_ = 0;
  mono_ns last_sync_ = 0;
  bool dirty_ = false;
  bool torn_ = false;  ///< A write failed part-way: start the next event on a fresh line.
};

/// "audit-2026-11-21.jsonl" for t.
std::string audit_file_name(ts_ns t);
/// The audit files in dir, oldest first.
std::vector<std::string> list_audit_files(const std::string& dir);

/// What reading one file found.
struct audit_read {
  std::vector<audit_event> events;
  std::size_t skipped_lines = 0;  ///< Malformed lines skipped (torn tails of earlier crashes).
  bool torn_tail = false;         ///< The file ends without a newline: its last line was skipped.
};

/// Reads every good event of one file, skipping a torn last line and malformed lines.
audit_read read_audit_file(const std::string& path);

/// What verify_audit_dir found.
struct audit_verify_report {
  std::size_t files = 0;
  std::size_t events = 0;
  std::uint64_t first_seq = 0, last_seq = 0;
  std::size_t unchained = 0;       ///< Lines without prev_hash (written before the chain existed).
  std::size_t skipped_lines = 0;   ///< Torn or malformed lines (crashes); not events.
  bool chain_from_genesis = false; ///< The oldest kept line is the first ever (else retention removed older files).
  std::vector<std::string> problems;  ///< "audit-2026-11-21.jsonl seq 43: prev_hash does not match …".

  bool ok() const { return problems.empty(); }
};

/// Checks every file in dir in order: seq rises by exactly one from line to line and each
/// line's prev_hash is the hash of the line before it (across files).
audit_verify_report verify_audit_dir(const std::string& dir);

} // namespace trader::persistence
