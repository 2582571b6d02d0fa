#pragma once
// The triggers stage of a decision cycle as a pure class: the candle store (live trades,
// REST backfill), a bad-tick guard per product over its closed base bars, the triggers over
// closed bars only, the per-cycle cap, and the regime of a reference product. Time is an
// argument everywhere; the triggers actor and backtest drive it. No CAF.

#include "actors/trading/signals/bad_tick_guard.hpp"
#include "actors/trading/signals/candle_store.hpp"
#include "actors/trading/signals/regime_detector.hpp"
#include "actors/trading/signals/triggers.hpp"
#include "messages/signals.hpp"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace trader::signals {

/// [triggers.volatility_filter]: skip a product while its realized volatility is above a
/// percentile of its own recent history.
struct volatility_filter_params {
  bool enabled = false;
  std::size_t window = 30;    ///< Log returns per realized-volatility value; 2..1000.
  double percentile = 95.0;   ///< Blocked above this percentile of the values over the series; 50..100.
};

/// Everything the engine reads from signals.toml. Defaults: see docs/signals.md.
struct engine_params {
  triggers_params triggers;            ///< [triggers] and its sub-tables.
  bad_tick_params bad_tick;            ///< [bad_tick]
  freshness_policy freshness;          ///< [candles] max_stale_intervals, block_on_gap (min_bars: from the triggers).
  std::size_t capacity = 500;          ///< [candles] capacity.
  regime_params regime;                ///< [regime]
  regime_multipliers multipliers;      ///< [regime] *_multiplier
  std::string regime_product = "BTC-USD";  ///< [regime] reference_product.
  std::size_t indicator_period = 14;   ///< ATR and RSI reported with every product's signals.
  volatility_filter_params volatility; ///< [triggers.volatility_filter]
  std::size_t closes_kept = 61;        ///< Closes carried per product (the correlation filter's lookback + 1).
};

/// The volatility filter: the newest realized volatility (sample sd of `window` log returns)
/// and the `percentile` of every such value over `closes`; blocked when newest > limit.
/// Empty reason (not blocked) with fewer than 2 × window + 1 closes.
std::string volatility_block(std::span<const double> closes, const volatility_filter_params& p);

/// A REST backfill the engine wants: the buckets of p at g starting in [from, to), within
/// the series' capacity window; backfill_pages() splits it into get_candles pages.
struct backfill_want {
  product_id product;
  granularity gran = granularity::one_minute;
  std::string why;  ///< "empty", "gap", "stale", "short" (warming up, older history wanted).
  ts_ns from = 0;   ///< Start of the first bucket wanted.
  ts_ns to = 0;     ///< End (exclusive): start of the bucket after the last one wanted.
};

/// One get_candles page: the `count` buckets ending at (and including) the bucket that
/// starts at end_s, UNIX seconds.
struct candle_page {
  std::int64_t end_s = 0;
  std::int32_t count = 0;
  bool operator==(const candle_page&) const = default;
};

/// The pages that cover w, newest first, each ≤ bars_per_page buckets (Coinbase's limit is
/// 350; at most max_pages pages, the oldest left out).
std::vector<candle_page> backfill_pages(const backfill_want& w, std::int32_t bars_per_page, std::size_t max_pages);

/// Counters since start (metrics).
struct engine_counts {
  std::uint64_t evaluations = 0;      ///< Product evaluations.
  std::uint64_t blocked = 0;          ///< Products blocked (series, bad tick, trend filter).
  std::uint64_t fired = 0;            ///< Trigger signals passed on after the cap.
  std::uint64_t bad_ticks_held = 0;   ///< Bars the guards held.
  std::uint64_t future_candles = 0;   ///< Backfilled candles whose bucket had not ended (dropped).
};

class signal_engine {
public:
  explicit signal_engine(engine_params p);

  granularity base() const { return base_; }                    ///< Timeframe the triggers read.
  std::optional<granularity> higher() const { return higher_; } ///< Trend filter's timeframe when on.
  const engine_params& params() const { return p_; }
  candle_store& store() { return store_; }
  const candle_store& store() const { return store_; }

  /// A public trade (market_trades).
  std::optional<drop_reason> on_trade(const market_trade& t) { return store_.on_trade(t); }
  /// Merges a REST page into p's series at g; candles whose bucket has not ended at `now`
  /// are dropped (a bar is closed only when its interval has ended).
  merge_result backfill(const product_id& p, granularity g, std::span<const candle> page, ts_ns now);
  /// After a REST page over [from, to) was answered: Coinbase leaves buckets without trades
  /// out, so a gap of at most builder_options::max_empty_fill buckets lying wholly inside
  /// the answered window is a quiet market, not lost data — its buckets become flat bars at
  /// the close before the gap, volume 0 (as the live builder fills quiet minutes). Longer
  /// gaps stay (they block). Returns the buckets filled.
  std::size_t fill_quiet(const product_id& p, granularity g, ts_ns from, ts_ns to);
  /// Closes every bucket ended at `now` and runs the guards over new closed base bars.
  void advance(ts_ns now);
  /// The backfills p needs at `now` (empty, gapped or stale series of the timeframes read).
  std::vector<backfill_want> wanted(const product_id& p, ts_ns now) const;

  /// Applies reloaded parameters; a non-empty answer refuses them (nothing changes). The
  /// stored bars stay unless the base or trend timeframe or the capacity changed (then the
  /// store starts empty and is backfilled); the regime detector stays unless [regime]
  /// changed (a new one reads the stored bars at once); guards restart on new [bad_tick].
  std::string reconfigure(engine_params p);

  /// The triggers stage of one cycle: every eligible product of `u`, evaluated on closed
  /// bars at `now` or blocked with a reason; the strongest max_triggers_per_cycle signals kept.
  signal_batch evaluate(const universe_snapshot& u, ts_ns now);

  regime current_regime() const { return detector_.current(); }
  const std::string& regime_reason() const { return regime_reason_; }
  const engine_counts& counts() const { return counts_; }
  /// Bars held by p's guard so far.
  std::uint64_t held(const product_id& p) const;
  /// Held bars since the last call (product, the guard's reason), for the audit log.
  std::vector<std::pair<product_id, std::string>> take_held();

private:
  product_signals evaluate_one(const product_id& p, ts_ns now);
  /// The triggers and indicators of p over its closed base bars (and higher-timeframe bars).
  product_signals evaluate_bars(const product_id& p, std::span<const bar> bars, std::span<const bar> higher) const;
  void step_regime();

  /// A product's last evaluate_bars answer and the series stamps it was computed from.
  struct memo {
    std::uint64_t base_stamp = 0;
    std::uint64_t higher_stamp = 0;
    product_signals result;
  };

  engine_params p_;
  granularity base_;
  std::optional<granularity> higher_;
  candle_store store_;
  std::map<std::string, bad_tick_guard> guards_;
  std::map<std::string, ts_ns> guarded_upto_;
  regime_detector detector_;
  ts_ns regime_bar_ = 0;
  std::string regime_reason_;
  engine_counts counts_;
  std::vector<std::pair<product_id, std::string>> held_log_;
  std::map<std::string, memo> memo_;  ///< By product id; cleared by reconfigure, a product's by a guarded bar.
};

} // namespace trader::signals
