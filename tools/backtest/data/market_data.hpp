#pragma once
// What a backtest replays: per product 1-minute candles (the exchange's price path, and the
// signal side's bars when no ticks are given) and trade ticks (the signal side builds its
// bars from them, as live builds them from market_trades). Loaded from the formats of
// ../shared/data/market and simex's replay inputs (docs/backtest.md "Data"):
//   *.csv            1-minute OHLCV (plain timestamp/unix columns or CryptoDataDownload)
//   *.jsonl[.zst]    Coinbase Advanced Trade WS recording (market_trades → ticks)
//   *.gz             Binance raw WS capture, "<ns> <json>" lines (@trade → ticks)
// No file at all = simex's seeded synthetic market (market_data::synthetic). No CAF.

#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"
#include "tools/simex/engine/market_stats.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trader::backtest {

/// One public trade.
struct tick {
  ts_ns t = 0;     ///< Exchange time.
  price px;
  size qty;
  side taker = side::buy;
};

/// One product's history, oldest first.
struct product_data {
  std::string product;                 ///< "BTC-USD".
  std::vector<simex::candle> candles;  ///< 1-minute bars (start in UNIX s); from ticks when only ticks were given.
  std::vector<tick> ticks;             ///< Empty for candle files.
  bool from_ticks = false;             ///< The signal side builds bars from ticks.
};

/// A data file as the report names it.
struct data_file {
  std::string path;    ///< As given on the command line.
  std::string sha256;  ///< Of the bytes on disk (compressed files as stored).
  std::string format;  ///< "candles_csv", "coinbase_ws", "binance_ws".
  std::uint64_t records = 0;  ///< Candles or ticks read from it.
};

/// Everything to replay.
struct market_data {
  std::vector<product_data> products;  ///< Sorted by product id.
  std::vector<data_file> files;
  bool synthetic = false;              ///< No files: simex's synthetic market.

  /// Earliest and latest candle start over every product (UNIX s); {0,0} when none.
  std::pair<std::int64_t, std::int64_t> span() const;
};

/// Loading options.
struct load_options {
  std::string product;       ///< Product id for files that do not name one ("" = from the file name).
  std::int64_t from_s = 0;   ///< Keep data at or after (UNIX s); 0 = from the start.
  std::int64_t to_s = 0;     ///< Keep data before; 0 = to the end.
};

/// Loads and merges `paths`; nullopt with `error` set when a file cannot be read or holds
/// nothing usable (a candle file whose bars are not 1 minute apart is refused, naming it).
std::optional<market_data> load_market_data(const std::vector<std::string>& paths, const load_options& o,
                                            std::string& error);

/// "BTC-USD" from a file name holding "btc-usd", "btcusdt", "btc-perp" …; "" when none.
std::string product_from_name(const std::string& path);
/// Median spacing of candle starts, seconds (0 with fewer than two candles).
std::int64_t candle_spacing_s(const std::vector<simex::candle>& c);
/// 1-minute candles built from ticks (minutes without ticks are absent).
std::vector<simex::candle> minute_candles(const std::vector<tick>& ticks);
/// Ticks of one Coinbase WS recording text (jsonl), by product; duplicates by trade id dropped.
std::vector<std::pair<std::string, std::vector<tick>>> coinbase_ticks(const std::string& path, std::string& error);
/// Ticks of a Binance capture (gzip or plain), "<ns> <json>" per line.
std::optional<std::vector<tick>> binance_ticks(const std::string& path, std::string& product, std::string& error);

} // namespace trader::backtest
