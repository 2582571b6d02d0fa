#pragma once
// An append-only JSONL file set for traderd's recordings (`--record-market DIR`): one file per
// UTC day and part, PREFIX-YYYY-MM-DD-NNN.jsonl, a new part beyond max_file_bytes, the oldest
// files of the prefix beyond keep_files deleted. A restart appends to the day's newest part;
// when that file ends in a torn line (a crash mid-write) a newline is written first, so the
// torn line stays alone and readers can skip it. No CAF.

#include "messages/time.hpp"

#include <cstdint>
#include <fstream>
#include <string>

namespace trader::recorder {

struct rotating_log_options {
  std::string dir;                              ///< Created if missing.
  std::string prefix;                           ///< File name prefix, e.g. "market".
  std::uint64_t max_file_bytes = 256ull << 20;  ///< Rotate beyond this size.
  std::size_t keep_files = 60;                  ///< Newest files of the prefix kept (0 = all).
  std::size_t flush_every = 64;                 ///< Lines between flushes (and at rotation/close).
};

class rotating_log {
public:
  explicit rotating_log(rotating_log_options o);
  ~rotating_log();
  rotating_log(const rotating_log&) = delete;
  rotating_log& operator=(const rotating_log&) = delete;

  /// Appends `line` (ending in '\n') to the file of t's UTC day. False when it could not be
  /// written (the stream is cleared for the next line).
  bool append(const std::string& line, ts_ns t);
  void flush();
  /// The file being written ("" before the first line).
  const std::string& current_file() const { return path_; }
  std::uint64_t files_opened() const { return files_; }

  /// PREFIX-DAY-PART.jsonl.
  static std::string file_name(const std::string& prefix, const std::string& day, int part);

private:
  void open_for(ts_ns t);
  void prune();

  rotating_log_options o_;
  std::ofstream out_;
  std::string path_, day_;
  std::uint64_t file_bytes_ = 0;
  std::uint64_t files_ = 0;
  std::size_t since_flush_ = 0;
  int part_ = 0;
};

} // namespace trader::recorder
