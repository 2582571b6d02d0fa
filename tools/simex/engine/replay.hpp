#pragma once
// Replay of recorded market data: candles CSV files (drive the synthetic model's mid) and
// Coinbase Advanced Trade WS recordings (jsonl, optionally zstd-compressed) whose level-2
// books and trades are replayed as house liquidity and prints.

#include "tools/simex/engine/exchange.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace trader::simex {

/// Whole file content; .zst files are decompressed. nullopt with error set on failure.
std::optional<std::string> read_data_file(const std::string& path, std::string& error);

/// Candles from CSV, oldest first. Understands CryptoDataDownload files (banner line,
/// "YYYY-MM-DD HH-AM" dates, newest first, CRLF) and plain "timestamp,open,high,low,close,volume"
/// with ISO-like or UNIX-second timestamps. Duplicate timestamps keep the first row.
std::optional<std::vector<candle>> load_candles_csv(const std::string& path, std::string& error);

/// One frame the recorder received.
struct recorded_frame {
  ts_ns received = 0;  ///< Recorder's local time.
  std::string data;    ///< The raw Coinbase message text.
};

/// A Coinbase WS recording in cryptofeed's jsonl format ({"t":"recv","ts":…,"data":"…"}).
struct ws_recording {
  std::vector<recorded_frame> frames;  ///< The "recv" lines, in file order.
  std::string products_json;           ///< Body of a recorded GET /market/products, if any.
};

/// Loads a recording (.jsonl or .jsonl.zst).
std::optional<ws_recording> load_ws_recording(const std::string& path, std::string& error);

/// Replays a recording into an exchange: l2 snapshot/updates become house levels, trades
/// become prints. Recorded time is shifted so the first frame plays at start().
class recording_replay {
public:
  recording_replay(exchange& ex, ws_recording rec);

  /// Lists the recorded products (from the products body or defaults) and anchors time.
  void start(ts_ns now);
  /// Applies every frame due by now.
  void advance(ts_ns now);
  bool finished() const { return next_ >= rec_.frames.size(); }
  /// Frames applied so far.
  std::size_t applied() const { return next_; }

private:
  void apply(const std::string& data, ts_ns now);
  void set_level(const std::string& product_id, side s, price px, size qty, ts_ns now);

  exchange& ex_;
  ws_recording rec_;
  std::size_t next_ = 0;
  ts_ns offset_ = 0;  ///< engine time - recorded time.
  std::map<std::string, std::map<std::pair<int, std::int64_t>, std::uint64_t>> levels_;  ///< House refs.
};

} // namespace trader::simex
