#pragma once
// The triggers: candles and signals. Owns the candle store (signals::signal_engine).
// Receives: market_trade, candle, feed_health (market_data, channels market_trades + candles):
//             live 1-minute bars, the 5-minute cross-check, restart of a product's builders
//             when its feed turns unhealthy (no flat bars for an outage) and after it
//             recovers; candle_list (its own get_candles → products): REST
//             backfill at start, after a recovery and whenever a series it reads is empty,
//             gapped, stale or short: the missing range paged into get_candles requests of
//             backfill_bars (< 350) buckets each by end_s, a series asked at most every
//             backfill_retry; universe_snapshot (universe) → evaluates every eligible
//             product on closed bars → signal_batch; get_signals (traderctl signals) → JSON;
//           config_changed (traderd reload) → options::reload and signal_engine::reconfigure;
//             a reload either cannot apply is refused (logged, audited "config"), the old
//             parameters stay.
// Sends:    signal_batch → strategies (each product's signals carry the read time of its
//             newest market_trades frame, origin_mono: tick_to_order); audit_entry
//             "bad_tick" → audit for every held bar;
//           gate_conditions → risk: crash_regime while the regime detector says crash (a
//             level-triggered gate source: on change, re-asserted, and when risk asks);
//           latency_sample cycle.triggers → latency.
// On failure: permanent child of `trading`; the store is rebuilt from REST backfill and the
//             live feed (restarting the builders), so a restart costs one paged backfill.

#include "actors/trading/signals/signal_engine.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::triggers {

/// What a reload may change; a non-empty error refuses it (the running parameters stay).
struct reloaded {
  signals::engine_params engine;
  std::vector<product_id> products;
  std::int32_t backfill_bars = 300;
  std::chrono::seconds backfill_retry{30};
  std::string error;
};

struct options {
  signals::engine_params engine;
  std::vector<product_id> products;           ///< Products whose candles are kept (the universe's tiers).
  std::int32_t backfill_bars = 300;           ///< Bars per REST page (< 350).
  std::chrono::seconds backfill_retry{30};    ///< Least time between two backfills of one series.
  /// Pause between two REST pages (one page in flight at a time): 4 pages/s at most, under
  /// half of Coinbase's 10/s public budget, so backfill never holds other data calls.
  std::chrono::milliseconds backfill_spacing{250};
  std::chrono::milliseconds poll{5000};       ///< Closes ended buckets and checks backfills this often.
  std::function<ts_ns()> now;                 ///< Wall clock (tests: a fake); empty = system time.
  std::function<reloaded()> reload;           ///< Re-reads signals.toml on config_changed; empty = ignored.
  prometheus::Registry* metrics = nullptr;    ///< trader_triggers_*; null = none.
};

caf::actor spawn_triggers(caf::actor_system& sys, core::registry& reg, options opts);

} // namespace trader::triggers
