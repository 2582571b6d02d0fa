#pragma once
// The exchange subtree (rate_limiter, products, accounts, orders, fills, clock,
// market_data, user_stream) and the operations actors (latency, scheduler) that traderd
// starts, with their options derived from the configuration. Pure mapping functions are
// exposed for tests; add_exchange_factories puts the start functions into the table.

#include "messages/ids.hpp"
#include "runtime/core/tree.hpp"
#include "tools/traderd/actor_factories.hpp"

#include <memory>
#include <string>
#include <vector>

namespace trader::net {
class api_key;
}
namespace trader::config {
struct trader_config;
}

namespace trader::daemon {

/// The products market data streams: universe tiers (core, then rotational) in canonical
/// spelling, red-flagged ones removed, duplicates dropped. Unparseable entries go to
/// *problems (the config loader already rejects them, so this is belt and braces).
std::vector<product_id> streamed_products(const config::trader_config& cfg, std::vector<std::string>* problems = nullptr);

/// The exchange API key (secrets coinbase_api_key_name / coinbase_api_private_key), or null
/// with *why when it is absent or unreadable. Never logs key material.
std::shared_ptr<const net::api_key> exchange_credentials(std::string* why);

/// Adds the exchange and operations actors to f. Without credentials, user_stream is not
/// started (it cannot authenticate) and private REST calls fail with a typed auth error.
void add_exchange_factories(core::actor_factories& f, const daemon_context& ctx,
                            std::shared_ptr<const net::api_key> credentials);

} // namespace trader::daemon
