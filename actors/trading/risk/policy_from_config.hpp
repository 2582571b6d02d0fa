#pragma once
// The risk policy from the loaded configuration: [risk], [risk.pyramiding], [execution],
// [microstructure], [circuit_breakers] of policy.toml, [strategies.*] of strategies.toml
// and [themes.*] of universe.toml. Keys the configuration does not have yet keep
// risk_policy's defaults (docs/risk.md "Configuration"). No CAF.

#include "actors/trading/risk/risk_policy.hpp"

namespace trader::config {
struct trader_config;
}

namespace trader::risk {

risk_policy policy_from_config(const config::trader_config& cfg);

} // namespace trader::risk
