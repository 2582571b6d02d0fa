#pragma once
// The risk actor's state and the functions its two source files share (risk_actor.cpp: the
// gate; risk_trading.cpp: proposals, the ledger, quotes, exits, loss limits). Not a public
// header: only the actor's own .cpp files include it.

#include "actors/trading/risk/intent_json.hpp"
#include "actors/infra/recorder/risk_tape.hpp"
#include "actors/trading/risk/risk_actor.hpp"
#include "actors/trading/risk/risk_desk.hpp"
#include "messages/names.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <nlohmann/json_fwd.hpp>

#include <initializer_list>

#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>

namespace prometheus {
class Counter;
class Gauge;
template <class T>
class Family;
} // namespace prometheus

namespace trader::risk {

using rk_tick_atom = caf::atom_constant<caf::atom("rk_tick")>;  ///< internal: the trading timer

/// The metrics risk keeps (docs/metrics.md "Risk").
struct risk_metrics {
  explicit risk_metrics(prometheus::Registry& r);
  prometheus::Family<prometheus::Counter>& verdicts;    ///< trader_risk_verdicts_total{outcome}
  prometheus::Family<prometheus::Counter>& rejections;  ///< trader_risk_rejections_total{check}
  prometheus::Family<prometheus::Counter>& no_trade;    ///< trader_no_trade_total{reason}
  prometheus::Family<prometheus::Counter>& exits;       ///< trader_protective_exits_total{kind,outcome}
  prometheus::Family<prometheus::Counter>& trips;       ///< trader_circuit_breaker_trips_total{reason}
  prometheus::Gauge& exposure_pct;
  prometheus::Gauge& open_positions;
  prometheus::Gauge& pending_orders;
  prometheus::Gauge& nav;
  prometheus::Gauge& pnl_daily_usd;
  prometheus::Gauge& pnl_daily_pct;
  prometheus::Gauge& pnl_weekly_usd;
  prometheus::Gauge& pnl_weekly_pct;
  prometheus::Gauge& drawdown_pct;
  prometheus::Gauge& total_pnl_usd;    ///< trader_total_pnl_usd: realized (all time) + unrealized
  prometheus::Gauge& total_pnl_pct;    ///< trader_total_pnl_pct: of NAV less that PnL
  prometheus::Gauge& kill_switch;      ///< trader_kill_switch: 1 while engaged
  prometheus::Family<prometheus::Gauge>& breaker_state;  ///< trader_circuit_breaker_state{reason}
};


struct risk_state {
  trading_gate gate;
  gate_observer observer;
  /// The last persist failed (state absent or the write refused): retried on the timer.
  bool persist_pending = false;
  risk_options opts;
  std::unique_ptr<risk_desk> desk;
  std::unique_ptr<risk_metrics> metrics;
  caf::actor market_data;  ///< Subscribed instances (monitored; resubscribed on the tick).
  caf::actor products;
  caf::actor clock;
  std::set<std::string> subscribing;  ///< Feeds with a subscribe_feed request out.
  bool asking_products = false;
  bool asking_fees = false;
  bool fees_asked = false;  ///< A fee-tier request reached a running accounts (else: asked every tick).
  std::vector<product_id> md_products;        ///< What market_data publishes (its subscribed answer).
  std::map<product_id, ts_ns> book_asked;     ///< get_book out (or last asked) per product.
  ts_ns products_at = 0;   ///< When the catalogue last arrived (0: never).
  std::deque<std::string> verdicts;           ///< Newest last, at most opts.keep_verdicts (JSON).
  std::set<gate_reason> loss_active;          ///< Loss limits holding the gate (alert edges).
  std::string loss_saved;                     ///< loss_limits JSON as last persisted.
  std::string pacing_saved, exits_saved, plans_saved, pyramid_saved;
  std::map<product_id, ts_ns> exit_blocked;   ///< When a blocked exit was last audited.
  std::set<product_id> stale_alerted;         ///< Positions whose prices are stale (alert raised).
  std::int64_t ticks = 0;
  ts_ns held_now = 0;  ///< Set while a recorded input is handled (tape_scope): now() returns it.
  static inline const char* name = names::risk;

  ts_ns now() const;
};

/// With a tape (opts.tape): records `what` at now() and holds that time as now() until the
/// scope ends, so every read of the clock while risk handles the input is the recorded one
/// (backtest replay feeds the input at that time). Nested scopes record and keep the outer
/// time. Without a tape: nothing.
class tape_scope {
public:
  template <class T>
  tape_scope(risk_state& st, const T& what) : st_(st) {
    if (!st.opts.tape)
      return;
    outer_ = st.held_now != 0;
    if (!outer_)
      st.held_now = st.now();
    st.opts.tape->record(st.held_now, recorder::tape_payload{what});
  }
  ~tape_scope() {
    if (st_.opts.tape && !outer_)
      st_.held_now = 0;
  }
  tape_scope(const tape_scope&) = delete;
  tape_scope& operator=(const tape_scope&) = delete;

private:
  risk_state& st_;
  bool outer_ = false;
};

using self_ptr = caf::stateful_actor<risk_state>*;

/// trader_kill_switch and trader_circuit_breaker_state{reason} from the gate (every reason
/// has a series: 1 holding the gate, 0 not). No-op without metrics.
void gate_gauges(risk_state& st);

// -- risk_actor.cpp ----------------------------------------------------------------------------
/// Logs, tells the observer, audits and persists the gate after a change.
void gate_changed_by(self_ptr self, core::registry& reg, const std::string& why);

// -- risk_ledger.cpp ---------------------------------------------------------------------------
void audit(self_ptr self, core::registry& reg, const char* kind, const nlohmann::json& j);
/// The records risk persists (risk_keys).
enum class risk_record { pacing, exits, plans, pyramid, loss };
/// Persists those of `which` that differ from what was saved last, in one store write (one
/// fsync, all or none); a failed write is logged and tried again on the next ledger tick.
void save(self_ptr self, std::initializer_list<risk_record> which);
/// Reads pacing, exits and loss limits back from the risk store (at start).
void restore(self_ptr self, core::registry& reg);
/// Holds exactly `active` as the gate conditions of source loss_limits; alerts, audits and
/// counts each edge; saves the loss limits on an edge.
void apply_loss(self_ptr self, core::registry& reg, const std::vector<loss_breach>& active);
/// Folds the newest marks into the loss limits, holds what they say, updates the gauges.
void refresh_loss(self_ptr self, core::registry& reg);
/// The ledger's share of the tick: loss limits at the boundaries, retried saves, auto-trim.
void on_ledger_tick(self_ptr self, core::registry& reg);

// -- risk_trading.cpp --------------------------------------------------------------------------
/// Sends an intent to order_lifecycle (request) and audits its answer; `exit`: a protective
/// exit, fired again on the next crossing if refused.
void send_intent(self_ptr self, core::registry& reg, const order_intent& in, std::optional<exit_kind> exit);

/// Restores pacing, exits and loss limits from the store; subscribes to the feeds; asks for
/// the portfolio and the product catalogue; starts the trading timer.
void start_trading(self_ptr self, core::registry& reg);
/// Judges a proposal, audits and counts the verdict, sends an approved intent.
risk_verdict on_proposal(self_ptr self, core::registry& reg, const trade_proposal& p);
void on_portfolio(self_ptr self, core::registry& reg, const portfolio_update& u);
void on_quote(self_ptr self, core::registry& reg, const quote& q);
void on_trading_tick(self_ptr self, core::registry& reg);
/// Before an operator's resume of a loss-limit reason: max_drawdown re-bases the high-water
/// mark (the only way it clears). Re-applies risk's own conditions.
void before_resume(self_ptr self, core::registry& reg, gate_reason r, const std::string& by);
/// A configuration reload: the policy from opts.policy_source, loss limits re-judged.
void on_config_changed(self_ptr self, core::registry& reg);
/// The `traderctl risk` view.
std::string risk_view(self_ptr self);

} // namespace trader::risk
