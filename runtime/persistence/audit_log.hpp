#pragma once
// The audit log: append-only JSONL, one event per line:
//   {"ts":"2026-11-21T17:03:04.123456789Z","seq":42,"kind":"risk_verdict","actor":"risk",
//    "config_hash":"9f2c…","payload":{…}}
// Files rotate daily (UTC): <dir>/audit-YYYY-MM-DD.jsonl; files older than retention_days
// are deleted. seq is monotonic and continues after a restart (read from the last good
// line). A torn last line left by a crash is skipped by the reader, and the writer starts
// its next line on a fresh line.

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
  std::string config_hash;                           ///< Stamped on every event.
};

/// One audit event as read back.
struct audit_event {
  ts_ns ts = 0;
  std::uint64_t seq = 0;
  std::string kind;         ///< "decision", "proposal", "risk_verdict", "order", "fill", "gate", "alert", "operator"…
  std::string actor;
  std::string config_hash;
  std::string payload;      ///< The payload as compact JSON text.
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
  result<std::uint64_t> append(std::string_view kind, std::string_view actor, const nlohmann::json& payload);
  /// fdatasync now (interval policy: call at shutdown).
  result<void> flush();
  /// Changes the config hash stamped on later events (after a reload).
  void set_config_hash(std::string hash);
  /// The seq of the last appended event (0 if none ever).
  std::uint64_t last_seq() const;
  /// The file currently appended to.
  std::string current_file() const;
  /// Deletes files older than retention_days before today; returns how many.
  int apply_retention();

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

} // namespace trader::persistence
