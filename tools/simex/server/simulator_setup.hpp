#pragma once
// What the simex binary simulates, from its options: the api's simulator_config for a
// server_config (seed, the synthetic market's shape, replay and candle files). One function,
// so the unit tests build the very simulator `simex ...` runs.

#include "tools/simex/api/simulator.hpp"
#include "tools/simex/server/server_config.hpp"

namespace trader::simex::transport {

/// The simulator the options describe. Throws std::invalid_argument naming the option and
/// the value when --products lists an id simex does not simulate.
simulator_config simulator_config_from(const server_config& cfg);

} // namespace trader::simex::transport
