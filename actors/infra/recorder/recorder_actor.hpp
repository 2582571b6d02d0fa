#pragma once
// The recorder: traderd's market recording (`traderd --record-market DIR`, issue 19).
// Receives: market_trade (market_data, subscribed to its market_trades channel; the
//             subscription is asked again every 5 s until market_data answers, and after a
//             market_data restart) → market_recorder (docs/backtest.md "Recording").
// Sends:    subscribe_feed → market_data. Metrics trader_recorder_trades_total,
//             trader_recorder_bytes_total, trader_recorder_write_errors_total.
// On failure: permanent child of `infra`; a restart appends to the day's file again.

#include "actors/infra/recorder/market_recorder.hpp"

#include <caf/fwd.hpp>

namespace prometheus {
class Registry;
}
namespace trader::core {
class registry;
}

namespace trader::recorder {

/// metrics may be null.
caf::actor spawn_recorder(caf::actor_system& sys, core::registry& reg, recorder_options o,
                          prometheus::Registry* metrics);

} // namespace trader::recorder
