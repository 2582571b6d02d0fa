#pragma once
// traderd's market recording (`traderd --record-market DIR`): every public trade the feed
// delivered, one JSONL line each in the Coinbase WebSocket recording format simex replays
// and `backtest run --data` reads ({"t":"recv","ts":SECONDS,"data":"<market_trades
// message>"}), so a session's market can be re-run. Compact (one trade a line, ≈ 230
// bytes), rotated per UTC day and at max_file_bytes (market-YYYY-MM-DD-NNN.jsonl; a restart
// appends to the day's newest), the oldest files beyond keep_files deleted. No CAF.

#include "actors/infra/recorder/rotating_log.hpp"
#include "messages/market.hpp"

#include <cstdint>
#include <string>

namespace trader::recorder {

struct recorder_options {
  std::string dir;                                   ///< Created if missing.
  std::uint64_t max_file_bytes = 256ull << 20;       ///< Rotate beyond this size.
  std::size_t keep_files = 60;                       ///< Newest files kept (0 = all).
  std::size_t flush_every = 64;                      ///< Lines between flushes (and at rotation/close).
};

/// Counters since start.
struct recorder_counts {
  std::uint64_t trades = 0;
  std::uint64_t bytes = 0;
  std::uint64_t files = 0;         ///< Files opened.
  std::uint64_t write_errors = 0;  ///< Lines that could not be written.
};

class market_recorder {
public:
  explicit market_recorder(const recorder_options& o);
  market_recorder(const market_recorder&) = delete;
  market_recorder& operator=(const market_recorder&) = delete;

  /// Records one trade (its ts_recv picks the day file).
  void on_trade(const market_trade& t);
  void flush() { log_.flush(); }
  const recorder_counts& counts() const { return counts_; }
  /// The file being written ("" before the first trade).
  const std::string& current_file() const { return log_.current_file(); }

  /// The line for t (the data string is Coinbase's market_trades message; `side` is the
  /// maker's, as Coinbase publishes it).
  static std::string line_of(const market_trade& t);

private:
  rotating_log log_;
  recorder_counts counts_;
};

} // namespace trader::recorder
