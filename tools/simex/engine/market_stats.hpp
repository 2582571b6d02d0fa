#pragma once
// Public market history of one product: the tape of recent trades, one-minute candles and
// the rolling 24-hour figures the ticker shows.

#include "tools/simex/engine/events.hpp"

#include <map>
#include <optional>
#include <vector>

namespace trader::simex {

/// An OHLCV bar; start is UNIX seconds.
struct candle {
  std::int64_t start = 0;
  price open, high, low, close;
  size volume;
};

/// Rolling 24-hour figures.
struct stats_24h {
  price open, high, low, last;
  size volume;
};

/// Trades and candles of one product.
class market_stats {
public:
  /// Most trades kept on the tape.
  static constexpr std::size_t max_trades = 1000;
  /// Most one-minute candles kept (two weeks).
  static constexpr std::size_t max_minutes = std::size_t{14} * 24 * 60;

  /// Records a trade: tape, candle, last price (qty may be zero: a print without volume).
  void on_trade(const trade_print& t);
  /// Inserts or replaces a one-minute candle (history seeding, replay).
  void put_minute(const candle& c);
  /// Newest-first trades with time in [start, end) (end 0 = open), at most limit.
  std::vector<const trade_print*> trades(ts_ns start, ts_ns end, std::size_t limit) const;
  /// Newest-first candles of granularity_s seconds with start in [start_s, end_s), at most limit.
  std::vector<candle> candles(std::int64_t start_s, std::int64_t end_s, std::int64_t granularity_s,
                              std::size_t limit) const;
  /// Rolling 24-hour figures ending at now.
  stats_24h day(ts_ns now) const;
  /// Last trade price (zero before any trade).
  price last() const { return last_; }

private:
  std::vector<trade_print> tape_;  ///< Ring of the newest max_trades prints (oldest at tape_head_ once full).
  std::size_t tape_head_ = 0;
  /// Drops the oldest minutes beyond max_minutes.
  void trim();

  std::map<std::int64_t, candle> minutes_;
  /// The minute of the last print: an iterator into minutes_, so a copy or move of the stats
  /// starts without one (it would point into the other map).
  struct hot_minute {
    std::optional<std::map<std::int64_t, candle>::iterator> it;
    hot_minute() = default;
    hot_minute(const hot_minute&) {}
    hot_minute(hot_minute&&) noexcept {}
    hot_minute& operator=(const hot_minute&) {
      it.reset();
      return *this;
    }
    hot_minute& operator=(hot_minute&&) noexcept {
      it.reset();
      return *this;
    }
    ~hot_minute() = default;
  };
  hot_minute hot_;
  price last_;
};

/// Granularity name ("ONE_MINUTE", …, "ONE_DAY") → seconds; 0 when unknown.
std::int64_t granularity_seconds(std::string_view name);

} // namespace trader::simex
