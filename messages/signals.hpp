#pragma once
// The signal side's decision chain, one way per cycle:
// scheduler ─decision_tick→ universe ─universe_snapshot→ triggers ─signal_batch→ strategies
// ─trade_proposal (request)→ risk. Type-id block trader_signals (+400, runtime/core/type_ids.hpp).

#include "messages/ids.hpp"
#include "messages/numeric.hpp"
#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace trader {

/// One product's place in the universe of a cycle: eligible, or excluded with a reason.
struct universe_entry {
  product_id product;
  std::string tier;       ///< "core" or "rotational".
  bool eligible = false;
  std::string reason;     ///< Why excluded ("status offline", "red_flag", ...); empty when eligible.
};

/// A fact: the universe of one decision cycle. universe → triggers (and audit).
struct universe_snapshot {
  std::int64_t cycle = 0;               ///< The decision_tick's cycle.
  ts_ns tick_ts = 0;                    ///< When the scheduler sent the tick (cycle budget).
  ts_ns ts = 0;                         ///< When the universe was built.
  std::vector<universe_entry> entries;  ///< Eligible and excluded products, tier order.
};

/// A trigger that fired on a product's newest closed bar.
struct fired_trigger {
  std::string id;          ///< "breakout", "momentum", "volume_spike", "rsi_reversion", "atr_breakout".
  double strength = 0;     ///< Measured / threshold (1 = at the threshold).
  double confidence = 0;   ///< In [0.5, 1).
  double value = 0;        ///< The measured quantity.
  double threshold = 0;
  std::string detail;      ///< Rendered measurement for audit.
};

/// One eligible product's signals of a cycle.
struct product_signals {
  product_id product;
  std::vector<fired_trigger> fired;  ///< Strongest first (after the per-cycle cap).
  bool blocked = false;              ///< Nothing may be entered (stale/missing series, bad tick, trend filter).
  std::string block_reason;          ///< Why, for audit and the no-trade reason.
  price last_close;                  ///< Close of the newest closed base bar (zero when none).
  price atr;                         ///< ATR(14) of the base series (zero when unknown).
  double rsi = 0;                    ///< RSI(14) of the base series (0 when unknown).
  ts_ns bar_start = 0;               ///< Start of the newest closed base bar.
  std::vector<double> closes;        ///< Newest closed base closes, oldest first (correlation filter).
  /// Steady clock when traderd read the newest market_trades frame of the product taken in
  /// before this evaluation (a proposal carries it: tick_to_order); 0 = none.
  mono_ns origin_mono = 0;
};

/// A fact: the signals of one cycle. triggers → strategies.
struct signal_batch {
  std::int64_t cycle = 0;
  ts_ns tick_ts = 0;
  ts_ns ts = 0;
  std::int32_t granularity_s = 300;       ///< The base timeframe the triggers read (bars close at start + this).
  std::string regime;                     ///< "bull", "chop", "bear", "crash" (reference product).
  double size_multiplier = 1.0;           ///< The regime's position-size multiplier.
  std::vector<product_signals> products;  ///< Every eligible product, evaluated or blocked.
  std::vector<universe_entry> excluded;   ///< The universe's exclusions, carried for audit.
};

/// Requests answered with a JSON object as std::string (traderctl universe / signals / strategies).
struct get_universe {};
struct get_signals {};
struct get_strategies {};

/// An operator instruction to universe: exclude `product` for `hours` (a temporary red-flag
/// ban, persisted with its expiry in the state store, lifted automatically at expiry).
/// traderctl ban → universe; answered with the ban as a JSON object (std::string), or an
/// error when it could not be persisted.
struct ban_product {
  product_id product;
  double hours = 0;     ///< 0 < hours <= 8760.
  std::string reason;   ///< Shown in the exclusion ("banned: REASON (until …)").
  std::string by;       ///< Who asked (audit).
};
/// Lifts a ban before its expiry. traderctl unban → universe; answered with a JSON object.
struct unban_product {
  product_id product;
  std::string by;
};

/// Switches a configured strategy off (or back on) at runtime, on top of its configured
/// `enabled`, until the strategies actor restarts. drift (CRITICAL with
/// disable_on_critical) → strategies; not answered.
struct set_strategy_enabled {
  std::string strategy;
  bool enabled = false;
  std::string reason;  ///< Why (audit, traderctl strategies).
  std::string by;      ///< Who asked ("drift").
};

// -- inspection ---------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, universe_entry& x) {
  return f(caf::meta::type_name("universe_entry"), x.product, x.tier, x.eligible, x.reason);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, universe_snapshot& x) {
  return f(caf::meta::type_name("universe_snapshot"), x.cycle, x.tick_ts, x.ts, x.entries);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fired_trigger& x) {
  return f(caf::meta::type_name("fired_trigger"), x.id, x.strength, x.confidence, x.value, x.threshold, x.detail);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, product_signals& x) {
  return f(caf::meta::type_name("product_signals"), x.product, x.fired, x.blocked, x.block_reason, x.last_close,
           x.atr, x.rsi, x.bar_start, x.closes, x.origin_mono);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, signal_batch& x) {
  return f(caf::meta::type_name("signal_batch"), x.cycle, x.tick_ts, x.ts, x.granularity_s, x.regime, x.size_multiplier, x.products,
           x.excluded);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ban_product& x) {
  return f(caf::meta::type_name("ban_product"), x.product, x.hours, x.reason, x.by);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unban_product& x) {
  return f(caf::meta::type_name("unban_product"), x.product, x.by);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, set_strategy_enabled& x) {
  return f(caf::meta::type_name("set_strategy_enabled"), x.strategy, x.enabled, x.reason, x.by);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_universe&) {
  return f(caf::meta::type_name("get_universe"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_signals&) {
  return f(caf::meta::type_name("get_signals"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_strategies&) {
  return f(caf::meta::type_name("get_strategies"));
}

} // namespace trader
