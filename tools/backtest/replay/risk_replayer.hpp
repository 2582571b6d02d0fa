#pragma once
// `backtest replay`'s engine: the risk actor's handlers (actors/trading/risk/risk_actor.cpp,
// risk_trading.cpp, risk_ledger.cpp) without CAF — each input through risk::risk_step, the
// step those handlers call, over risk_desk and the trading gate — fed the
// inputs of a risk tape (recorder::risk_tape) in order at their recorded times. Each input
// returns the decisions it made as canonical lines (audit::decision_line), which replay
// compares with the lines the tape recorded. Timers, persistence, metrics and alerts are
// left out: they decide nothing. No CAF.

#include "actors/infra/recorder/risk_tape.hpp"
#include "actors/trading/risk/risk_desk.hpp"
#include "actors/trading/risk/trading_gate.hpp"

#include <memory>
#include <string>
#include <vector>

namespace trader::backtest {

class risk_replayer {
public:
  /// `policy`: the configuration replay runs (the recorded one, or -c CONFIG).
  explicit risk_replayer(risk::risk_policy policy);

  /// Feeds one input (a tape_start resets risk as a restart would); returns the decision
  /// lines it produced, in order. A recorded tape_decision is an output: nothing happens.
  std::vector<std::string> apply(const recorder::tape_event& e);

  /// False until the first tape_start: inputs before it have no state to apply to.
  bool started() const { return desk_ != nullptr; }
  const risk::trading_gate& gate() const { return gate_; }

private:
  void start(const recorder::tape_start& s, ts_ns now);
  std::string proposal(const trade_proposal& p, ts_ns now);
  void portfolio(const portfolio_update& u, ts_ns now);
  std::vector<std::string> on_quote(const quote& q, ts_ns now);
  void resume(const resume_gate& r, ts_ns now);
  void refresh_loss(ts_ns now);

  risk::risk_policy policy_;
  std::unique_ptr<risk::risk_desk> desk_;
  risk::trading_gate gate_;
  bool clear_startup_ = true;
};

} // namespace trader::backtest
