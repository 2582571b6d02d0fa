#pragma once
// `backtest replay RECORDING [-c CONFIG] [--audit-log LOG]`: re-runs a traderd session's risk
// decisions from its risk tape (traderd --record-market DIR) and proves them equivalent —
// the running hash over the replayed decisions (audit::decision_chain) equals the one over
// the recorded decisions, and, with --audit-log, the one over traderd's audit log — or names the
// first decision where they part (docs/backtest.md "Replaying a recorded session"). No CAF.

#include "actors/infra/recorder/risk_tape.hpp"
#include "actors/trading/risk/risk_policy.hpp"

#include <cstddef>
#include <optional>
#include <string>

namespace trader::backtest {

/// Where a replay first parts from the recording.
struct replay_divergence {
  std::size_t index = 0;  ///< 0-based decision number.
  ts_ns t = 0;            ///< When it was decided (recorded, else replayed).
  std::string where;      ///< "FILE:LINE" of the recorded decision, or of the input that made the replayed one.
  std::string recorded;   ///< Its line in the tape ("(none)" past the end).
  std::string replayed;   ///< The line replay decided ("(none)" past the end).
};

struct replay_result {
  std::size_t inputs = 0;          ///< Inputs fed (from the first start on).
  std::size_t skipped = 0;         ///< Lines before the first start (its file was pruned).
  std::size_t starts = 0;          ///< Risk (re)starts in the tape.
  std::size_t recorded = 0, replayed = 0;  ///< Decisions on each side.
  std::string recorded_hash = "0", replayed_hash = "0";
  std::optional<replay_divergence> divergence;
};

/// Feeds the tape through risk_replayer under `policy`.
replay_result replay_tape(const recorder::tape_read& tape, const risk::risk_policy& policy);

/// The command: exit 0 equivalent, 1 diverged (or the audit log differs), 2 the recording or
/// the audit log is unreadable, 78 the configuration is invalid.
int cmd_replay(const std::string& recording, const std::string& config_dir, const std::string& audit_log);

} // namespace trader::backtest
