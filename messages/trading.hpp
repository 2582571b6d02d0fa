#pragma once
// Decisions flowing one way: strategies ─trade_proposal→ risk ─order_intent→ order_lifecycle.

#include "messages/ids.hpp"
#include "messages/market.hpp"
#include "messages/numeric.hpp"
#include "messages/orders.hpp"
#include "messages/time.hpp"

#include <caf/meta/type_name.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace trader {

/// What a proposal does to the position.
enum class proposal_kind : std::uint8_t { open, add, reduce, close };

/// The protective levels a strategy asks for with an entry; zero = the risk policy's
/// default (risk::exit_spec). atr is the ATR at the proposal (zero = unknown).
struct exit_plan {
  double stop_loss_pct = 0;
  double take_profit_pct = 0;
  double stop_loss_atr = 0;
  double take_profit_atr = 0;
  price atr;
};

/// A strategy's wish to trade; risk decides.
struct trade_proposal {
  std::string proposal_id;  ///< Unique per proposal; carried into the verdict and intent.
  std::string strategy;
  product_id product;
  side dir = side::buy;
  proposal_kind kind = proposal_kind::open;
  notional target;          ///< Quote-currency amount wanted.
  price limit_px;           ///< Zero = strategy leaves pricing to execution.
  std::string rationale;    ///< Human-readable trigger summary, for the audit log.
  std::int64_t cycle = 0;   ///< Decision cycle that produced it.
  ts_ns ts = 0;
  exit_plan exits;          ///< Stop loss / take profit for an entry.
  double confidence = 0;    ///< The strategy's confidence in [0, 1] (sizing and audit).
  std::string regime;       ///< Market regime the strategy sized for ("bull", "chop", "bear", "crash"); "" = none.
  double size_multiplier = 0;  ///< The regime multiplier already in `target`; 0 = none applied (risk applies it).
  mono_ns origin_mono = 0;  ///< Steady clock when the newest frame behind its signals was read; 0 = none.
  std::vector<std::string> trigger_ids;  ///< The triggers behind it ("breakout", "momentum", …), every agreeing strategy's.
};

/// One failed pre-trade check: stable id plus a rendered detail.
struct rejection {
  std::string check;   ///< e.g. "PER_ASSET_CAP".
  std::string detail;  ///< e.g. "asset=BTC at_risk_pct=5.4 limit_pct=5.0".
};

/// An instruction to place one order. Written to the state store before it is sent.
struct order_intent {
  client_order_id id;       ///< Ours, generated once; never re-sent under another id.
  std::string proposal_id;
  product_id product;
  side dir = side::buy;
  order_type type = order_type::limit;
  time_in_force tif = time_in_force::gtc;
  price limit_px;
  size base_size;           ///< Either base_size or quote_size is set.
  notional quote_size;
  bool post_only = true;
  bool reduce_only = false;  ///< Exits: allowed while the gate is closed (not under kill switch).
  ts_ns expire_at = 0;       ///< For GTD.
  ts_ns ts_created = 0;
  /// Steady clock when traderd read the frame that caused it (copied to create_order);
  /// 0 = not caused by a frame (operator flatten, auto-trim, debug.intent): nothing recorded.
  mono_ns origin_mono = 0;
  decision_path origin_path = decision_path::none;  ///< Who decided it (with origin_mono).
};

/// Risk's answer to a proposal; keeps every failed check.
struct risk_verdict {
  std::string proposal_id;
  bool approved = false;
  std::vector<rejection> rejections;
  order_intent intent;       ///< Meaningful only when approved.
  ts_ns ts = 0;
};

/// The scheduler's jittered decision-cycle tick.
struct decision_tick {
  std::int64_t cycle = 0;
  std::int64_t interval_ms = 0;  ///< Interval actually used, jitter included.
  ts_ns ts = 0;
};

/// One open position as the ledger holds it (long only: qty > 0).
struct position_state {
  product_id product;
  std::string strategy;  ///< The strategy that opened it ("" when adopted/unknown).
  size qty;              ///< Base quantity held.
  price avg_entry;       ///< Quantity-weighted average entry, fees excluded.
  notional realized;     ///< Realized PnL of this position so far.
  std::int64_t fills = 0;
  ts_ns opened_at = 0;   ///< Exchange time of the opening fill.
  ts_ns updated_at = 0;  ///< Exchange time of the newest fill.
};

/// An order still working on the exchange (or not yet known to be done): pending exposure.
struct working_order {
  client_order_id id;
  product_id product;
  std::string strategy;
  side dir = side::buy;
  bool reduce_only = false;
  size remaining_qty;    ///< Base quantity not filled yet (zero when quote-sized and unknown).
  notional remaining;    ///< Quote value not filled yet (limit price × remaining_qty, or the quote size).
  order_state state = order_state::created;
};

/// The ledger as risk reads it: positions, working orders, realized PnL buckets and the NAV
/// high-water mark. order_lifecycle → risk after every change it commits (new fill, order
/// state change) and in reply to get_portfolio. NAV is risk's to compute (cash + marks).
struct portfolio_update {
  std::uint64_t version = 0;  ///< Grows with every change within one order_lifecycle run.
  notional cash;              ///< Quote cash as the ledger holds it (exchange balance at reconcile ± fills).
  std::vector<position_state> positions;
  std::vector<working_order> working;
  notional realized_day;      ///< UTC day of ts.
  notional realized_week;     ///< ISO week of ts.
  notional realized_total;
  notional fees_total;
  notional high_water;        ///< NAV high-water mark as persisted (zero = none yet).
  ts_ns high_water_at = 0;
  bool reconciled = false;    ///< Local state agreed with the exchange at the last reconcile.
  ts_ns ts = 0;               ///< When order_lifecycle built it.
};

/// A request to order_lifecycle: answer with the current portfolio_update.
struct get_portfolio {};

/// A request to drift (traderctl drift): answered with a JSON object as std::string.
struct get_drift {};

/// An instruction to order_lifecycle (traderctl flatten): close the long positions of
/// `product` (every product when empty) with reduce-only market sells, after cancelling the
/// product's working orders. Passes the gate as exits do (not under the kill switch or a
/// reason that makes positions uncertain). Answered with a JSON string.
struct flatten_positions {
  product_id product;
  std::string reason;
};

// -- inspection ---------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, exit_plan& x) {
  return f(caf::meta::type_name("exit_plan"), x.stop_loss_pct, x.take_profit_pct, x.stop_loss_atr, x.take_profit_atr,
           x.atr);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trade_proposal& x) {
  return f(caf::meta::type_name("trade_proposal"), x.proposal_id, x.strategy, x.product, x.dir, x.kind, x.target,
           x.limit_px, x.rationale, x.cycle, x.ts, x.exits, x.confidence, x.regime, x.size_multiplier,
           x.origin_mono, x.trigger_ids);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, rejection& x) {
  return f(caf::meta::type_name("rejection"), x.check, x.detail);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, order_intent& x) {
  return f(caf::meta::type_name("order_intent"), x.id, x.proposal_id, x.product, x.dir, x.type, x.tif, x.limit_px,
           x.base_size, x.quote_size, x.post_only, x.reduce_only, x.expire_at, x.ts_created, x.origin_mono,
           x.origin_path);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_verdict& x) {
  return f(caf::meta::type_name("risk_verdict"), x.proposal_id, x.approved, x.rejections, x.intent, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position_state& x) {
  return f(caf::meta::type_name("position_state"), x.product, x.strategy, x.qty, x.avg_entry, x.realized, x.fills,
           x.opened_at, x.updated_at);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, working_order& x) {
  return f(caf::meta::type_name("working_order"), x.id, x.product, x.strategy, x.dir, x.reduce_only, x.remaining_qty,
           x.remaining, x.state);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, portfolio_update& x) {
  return f(caf::meta::type_name("portfolio_update"), x.version, x.cash, x.positions, x.working, x.realized_day,
           x.realized_week, x.realized_total, x.fees_total, x.high_water, x.high_water_at, x.reconciled, x.ts);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_drift&) {
  return f(caf::meta::type_name("get_drift"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, get_portfolio&) {
  return f(caf::meta::type_name("get_portfolio"));
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, flatten_positions& x) {
  return f(caf::meta::type_name("flatten_positions"), x.product, x.reason);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, decision_tick& x) {
  return f(caf::meta::type_name("decision_tick"), x.cycle, x.interval_ms, x.ts);
}

} // namespace trader
