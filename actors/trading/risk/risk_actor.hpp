#pragma once
// The risk actor: the trading gate and the live decision point of the pipeline
// (docs/risk.md "The risk actor").
// Receives: gate_conditions (every level-triggered source: its whole current set),
//           gate_signal (events: an unresolved order, the safe-halt hook), raise_gate
//           (request: a sticky reason, answered once durable), resume_gate (operator, via
//           control; refused while the cause still holds; `max_drawdown` re-bases the NAV
//           high-water mark), get_gate;
//           trade_proposal (strategies, request) → risk_verdict; portfolio_update
//           (order_lifecycle, after every change, and its answer to get_portfolio); quote,
//           product_status, feed_health (market_data); product_list (products); clock_sample
//           (clock); risk_view_atom (control) → JSON string for `traderctl risk`.
// Sends:    report_gate_conditions → every gate source at start (names::gate_sources), so a
//           restarted risk rebuilds the gate from what the sources hold now;
//           persist_gate → state after every change (request; a failed write is retried
//           every second); audit_entry "gate" / "risk_verdict" / "risk_intent" / "risk_exit" /
//           "loss_limit" → audit; order_intent → order_lifecycle (request; answered with a JSON
//           string or an error, both audited): approved proposals and protective exits
//           (reduce-only); get_portfolio → order_lifecycle (at start and every
//           portfolio_refresh); subscribe_feed → market_data (ticker, status), products,
//           clock; get_products → products; alert daily_stop / weekly_stop / max_drawdown /
//           stale_position_data → alerting.
// Gate:     its own loss limits are conditions of source "loss_limits" (daily_stop, weekly_stop,
//           max_drawdown), re-applied on every ledger or mark change.
// Persists: pacing, protective exits and loss limits through risk_store (db "risk").
// On failure: permanent child of `trading`; its factory restores the sticky reasons from the
//             store (plus state_unavailable when the store failed), and `startup` is raised
//             again, so a restart never opens the gate; pacing, exits and loss limits are
//             read back from the risk store.

#include "actors/trading/risk/risk_policy.hpp"
#include "actors/trading/risk/risk_store.hpp"
#include "actors/trading/risk/trading_gate.hpp"

#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}
namespace trader::recorder {
class risk_tape;
}

namespace trader::risk {

using risk_view_atom = caf::atom_constant<caf::atom("rk_view")>;  ///< → JSON (traderctl risk)

/// Every gate source, by name (names::gate_sources).
std::vector<std::string> default_gate_sources();

struct risk_options {
  risk_policy policy = default_risk_policy();
  /// The policy after a configuration reload (config_changed); empty: kept as started.
  std::function<risk_policy()> policy_source;
  /// Where pacing, exits and loss limits are kept; null: in memory only (nothing survives).
  std::shared_ptr<risk_store> store;
  prometheus::Registry* metrics = nullptr;  ///< Null: no metrics (tests).
  std::function<ts_ns()> now;               ///< Wall clock; the system clock when empty.
  /// Subscribe to market_data, products and clock and ask order_lifecycle for the portfolio
  /// (off only in the gate's own tests).
  bool trading = true;
  /// Clear `startup` once order_lifecycle's ledger says a reconcile agreed with the exchange
  /// (PAPER, LIVE). Off in DRY_RUN: nothing of ours is at the exchange and nothing is read
  /// from it, so there is no agreement to wait for; an operator resumes (--force).
  bool clear_startup_on_reconcile = true;
  std::chrono::milliseconds tick{1000};             ///< Resubscribe, flush, loss-limit boundaries.
  std::chrono::seconds portfolio_refresh{5};        ///< get_portfolio even when nothing changed.
  std::chrono::seconds products_refresh{300};
  std::chrono::seconds stale_position_after{120};   ///< A held position without a quote this long: alert.
  std::size_t keep_verdicts = 20;                   ///< Shown by `traderctl risk`.
  /// traderd --record-market: every input in the order handled, at the time read for it (held
  /// as now() while it is handled), and every decision (backtest replay); null: off.
  std::shared_ptr<recorder::risk_tape> tape;
};

caf::actor spawn_risk(caf::actor_system& sys, core::registry& reg, trading_gate initial, gate_observer observer = {},
                      std::vector<std::string> sources = default_gate_sources(), risk_options opts = {});

} // namespace trader::risk
