#pragma once
// The candle store: per product, 1-minute bars built from trades and larger granularities
// aggregated from them, each kept as a candle_series of closed bars; REST pages backfill
// any series. The triggers read closed bars only (series()); the forming bar has its own,
// explicitly named accessor. No CAF.

#include "actors/trading/signals/bar_builder.hpp"
#include "actors/trading/signals/candle_series.hpp"
#include "messages/ids.hpp"
#include "messages/market.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace trader::signals {

/// What the store keeps. Defaults: see docs/signals.md.
struct store_options {
  /// Granularities kept besides ONE_MINUTE (always built, from trades); each must be a
  /// multiple of a minute dividing a day (all Coinbase sizes are).
  std::vector<granularity> granularities{granularity::five_minute, granularity::fifteen_minute,
                                         granularity::one_hour, granularity::one_day};
  std::size_t capacity = 500;  ///< Closed bars kept per series; 1..100000.
  builder_options build;       ///< Empty-bucket handling of every builder.
};

/// How an exchange candle (the WebSocket `candles` channel's 5-minute bar, taken once its
/// bucket has closed) compares with the bar the store built for the same bucket.
struct candle_check {
  bool compared = false;       ///< The store holds a closed bar for that product, size and bucket.
  double close_diff_pct = 0;   ///< |ours − theirs| / theirs × 100, close.
  double range_diff_pct = 0;   ///< Largest of the high and low differences, %.
  double volume_diff_pct = 0;  ///< Volume difference, % of theirs (0 when both are 0).
};

/// Every product's series and builders.
class candle_store {
public:
  /// An empty store.
  explicit candle_store(store_options o = {});
  ~candle_store();
  candle_store(candle_store&&) noexcept;
  candle_store& operator=(candle_store&&) noexcept;

  /// Starts (or, after a reconnect, restarts) building p's bars at `now`: buckets that began
  /// before are partial and never emitted (backfill them). Keeps p's stored bars.
  void start(const product_id& p, ts_ns now);
  /// A public trade; an unknown product starts at the trade's time. nullopt when accepted.
  std::optional<drop_reason> on_trade(const product_id& p, price px, size qty, ts_ns t);
  /// A market_trade message (uses ts_event).
  std::optional<drop_reason> on_trade(const market_trade& t) { return on_trade(t.product, t.px, t.qty, t.ts_event); }
  /// A closed 1-minute bar from elsewhere (a replay, a backtest): stored in p's 1-minute
  /// series and, when stored, aggregated into the larger granularities (closed by advance()).
  append_result on_bar(const product_id& p, const bar& b);
  /// Closes every bucket of every product that ended at or before `now`; returns the number
  /// of closed bars stored.
  std::size_t advance(ts_ns now);
  /// Merges a REST page of candles into p's series of granularity g (created if needed).
  merge_result backfill(const product_id& p, granularity g, std::span<const candle> page);
  /// Closed bars of p at g; nullptr when the store keeps none.
  const candle_series* series(const product_id& p, granularity g) const;
  /// The bar still forming for p at g (not closed; never for decisions).
  std::optional<bar> forming_bar(const product_id& p, granularity g) const;
  /// Compares an exchange candle with the stored bar of its bucket (cross-check).
  candle_check cross_check(const candle& c) const;
  /// Whether p's series at g may be evaluated at `now`; no_bars when unknown.
  series_status status(const product_id& p, granularity g, ts_ns now, const freshness_policy& f) const;
  /// p's dropped inputs by reason, over its builders and series.
  drop_counts drops(const product_id& p) const;
  /// Products with bars or builders, sorted.
  std::vector<product_id> products() const;

private:
  struct product_bars;
  product_bars& entry(const product_id& p);
  const product_bars* find(const product_id& p) const;

  store_options opt_;
  std::unordered_map<std::string, std::unique_ptr<product_bars>> products_;
  std::vector<bar> scratch_;
  std::vector<bar> scratch2_;
};

} // namespace trader::signals
