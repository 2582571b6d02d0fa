#pragma once
// What the risk actor does with each input to its decision state — the desk and the trading
// gate — without what it adds around it (audit, alerts, persistence, metrics, sending,
// timers). The risk actor's handlers (risk_trading.cpp, risk_ledger.cpp) and `backtest
// replay` (tools/backtest/replay/risk_replayer.cpp) both call it, so a replay cannot drift
// from the actor. Reads no clock: `now` is an argument. No CAF.

#include "actors/trading/risk/risk_desk.hpp"
#include "actors/trading/risk/trading_gate.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <vector>

namespace trader::risk {

/// The gate source of risk's own loss limits (not "risk": `startup` is held under that name).
inline constexpr const char* loss_source = "loss_limits";

/// One input's step over a desk and a gate it borrows (build one per input; it keeps nothing).
class risk_step {
public:
  risk_step(risk_desk& desk, trading_gate& gate) : desk_(desk), gate_(gate) {}

  /// A proposal: the desk's evaluation (a check that throws becomes CHECK_FAILED), then the
  /// gate for the order's effect (GATE_CLOSED: reason and effect); an approved order is
  /// recorded as sent (pacing, pyramid, its exit plan). The caller audits and sends it.
  evaluation proposal(const trade_proposal& p, ts_ns now);

  /// What a portfolio update did.
  struct portfolio_outcome {
    bool startup_cleared = false;  ///< The first reconciled ledger cleared `startup` (gate changed).
    portfolio_effects fx;          ///< The desk's effects on exits, pacing, pyramid, cash flow.
  };
  /// A portfolio update: the first reconciled ledger since start clears `startup` when
  /// `clear_startup`; then the desk takes it. The caller refreshes the loss limits after.
  portfolio_outcome portfolio(const portfolio_update& u, bool clear_startup, ts_ns now);

  /// What a quote did.
  struct quote_outcome {
    bool held = false;                ///< The product has protective exits: marks moved (refresh loss).
    std::optional<exit_signal> exit;  ///< An exit crossed.
    gate_decision gate;               ///< With an exit: allowed → sent; refused → fires again on the next crossing.
  };
  /// A quote: marks it; an exit it crosses is marked sent when the gate lets a reduce-only
  /// order through, failed (fires again on the next crossing) when not.
  quote_outcome on_quote(const quote& q, ts_ns now);

  /// Holds exactly `active` as the gate conditions of loss_source; true when the gate changed.
  bool hold_loss(const std::vector<loss_breach>& active, ts_ns now);

  /// Loss trips restored into the desk that still hold at `now`: a daily or weekly trip of a
  /// period that has ended is not brought back.
  std::vector<loss_breach> restored_loss(ts_ns now);

  /// Before an operator's resume of `r`: a max_drawdown the loss limits hold is reset at the
  /// current NAV. True when it was (the caller then holds desk.loss().active(now)).
  bool before_resume(gate_reason r, ts_ns now);

private:
  risk_desk& desk_;
  trading_gate& gate_;
};

/// A verdict's audit payload as the risk actor writes it (audit::decision_line reduces it
/// to its decision line): the proposal, approval, rejections, resizes, the intent when
/// approved, and for an entry the exposure before it with the caps.
nlohmann::json verdict_json(const trade_proposal& p, const evaluation& ev, bool gate_open, const risk_policy& policy);

} // namespace trader::risk
