#pragma once
// Which products market data streams: the universe's tiers (universe.toml) less the red-flag
// exclusions, in Coinbase's canonical spelling. Pure: no CAF, no I/O. Lives beside the
// composition root rather than in runtime/config because the canonical spelling is the
// exchange adapter's (actors/exchange/coinbase/symbols.hpp), a layer above runtime/.

#include "messages/ids.hpp"

#include <string>
#include <vector>

namespace trader::config {
struct trader_config;
}

namespace trader::daemon {

/// The products market data streams: universe tiers (core, then rotational) in canonical
/// spelling, red-flagged ones removed, duplicates dropped. Unparseable entries go to
/// *problems (the config loader already rejects them, so this is belt and braces).
std::vector<product_id> streamed_products(const config::trader_config& cfg, std::vector<std::string>* problems = nullptr);

} // namespace trader::daemon
