#pragma once
// The drift actor: each strategy's live (or paper) round trips against its backtest baseline
// (drift_detector; docs/backtest.md "Drift detection").
// Receives: its own timer every `poll` → asks order_lifecycle for the portfolio
//             (get_portfolio), reads the round trips closed since the last one (trip_tracker)
//             and evaluates; get_drift (traderctl drift) → JSON of the newest findings.
// Sends:    alert strategy_drift (WARNING or CRITICAL, one per strategy per cooldown,
//             escalations at once) → alerting; audit_entry "drift" per alert and per closed
//             round trip → audit; trader_drift_severity{strategy} (0 none, 1 warning,
//             2 critical), trader_drift_alerts_total{severity}, trader_drift_trades_total.
//             A CRITICAL drift with [drift] disable_on_critical switches the strategy off:
//             set_strategy_enabled{enabled = false} → strategies at every evaluation while it
//             stays critical (a restarted strategies actor hears it again within poll).
// On failure: permanent child of `trading`; the window restarts empty (the baseline is read
//             again from its file at start).

#include "actors/trading/drift/drift_detector.hpp"

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

namespace trader::drift {

struct options {
  bool enabled = false;                      ///< [drift] enabled; off: no polling, get_drift says so.
  drift_policy policy;
  std::vector<strategy_baseline> baselines;
  std::string baseline_file;                 ///< Where the baselines came from (status).
  std::string baseline_error;                ///< Why the file gave no baselines (status); empty = fine.
  std::chrono::milliseconds poll{60'000};    ///< How often the portfolio is read.
  std::function<ts_ns()> now;                ///< Wall clock (tests: a fake); empty = system time.
  prometheus::Registry* metrics = nullptr;   ///< trader_drift_*.
};

caf::actor spawn_drift(caf::actor_system& sys, core::registry& reg, options opts);

} // namespace trader::drift
