#pragma once
// The strategies: proposals from the cycle's signals (signals::strategy_registry).
// Receives: signal_batch (triggers) → asks order_lifecycle for the portfolio (get_portfolio;
//             when that fails or order_lifecycle is down the cycle fails closed: nothing is
//             proposed, no-trade reason portfolio_unavailable, counted), runs the enabled
//             strategies and requests
//             risk's verdict for each proposal; a cycle older than cycle_budget (from the
//             scheduler's tick) is abandoned; get_strategies (traderctl) → JSON of the last cycle;
//           config_changed (traderd reload) → options::reload: a new registry from the next
//             cycle on; one that check_strategies refuses is logged and audited ("config"),
//             the running strategies stay;
//           set_strategy_enabled (drift) → that strategy off (or on again) on top of the
//             configuration, across reloads, until this actor restarts; audited
//             ("strategy_switch"), listed in get_strategies' disabled_at_runtime.
// Sends:    trade_proposal → risk (request, answered with risk_verdict; a failed request is
//             logged and counted, never fatal); audit_entry "proposal", "verdict" and
//             "no_trade" → audit; alert cycle_overrun → alerting; latency_sample
//             cycle.strategies → latency; trader_no_trade_total{reason}.
// On failure: permanent child of `trading`; it keeps no state across cycles (positions are
//             asked for every cycle), so a restart loses nothing.

#include "actors/trading/signals/strategy.hpp"

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

namespace trader::strategies {

/// What a reload may change; a non-empty error refuses it (the running strategies stay).
struct reloaded {
  std::vector<signals::strategy_params> strategies;
  signals::ensemble_params ensemble;
  signals::correlation_params correlation;
  std::chrono::milliseconds cycle_budget{15000};
  std::string error;
};

/// Why these strategies cannot run ("" when they can): an enabled one of an unknown kind,
/// a rules strategy consuming an unknown trigger, two with one name.
std::string check_strategies(const std::vector<signals::strategy_params>& s);

struct options {
  std::vector<signals::strategy_params> strategies;
  signals::ensemble_params ensemble;
  signals::correlation_params correlation;        ///< [correlation] of universe.toml.
  std::chrono::milliseconds cycle_budget{15000};  ///< [loop] cycle_budget_s: older cycles are abandoned.
  std::chrono::seconds portfolio_timeout{2};
  std::chrono::seconds risk_timeout{10};
  std::function<ts_ns()> now;                     ///< Wall clock (tests: a fake); empty = system time.
  std::function<reloaded()> reload;               ///< Re-reads strategies.toml on config_changed; empty = ignored.
  std::string id_prefix;                          ///< Proposal id prefix; empty = "p<start ms>".
  prometheus::Registry* metrics = nullptr;        ///< trader_strategies_*, trader_no_trade_total.
};

caf::actor spawn_strategies(caf::actor_system& sys, core::registry& reg, options opts);

} // namespace trader::strategies
