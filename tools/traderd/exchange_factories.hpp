#pragma once
// The exchange subtree's credentials. Its factories (rate_limiter, products, accounts,
// orders, fills, clock, market_data, user_stream) are added by add_exchange_factories
// (actor_factories.hpp), with their options derived from the configuration.

#include <memory>
#include <string>

namespace trader::net {
class api_key;
}

namespace trader::daemon {

/// The exchange API key (secrets coinbase_api_key_name / coinbase_api_private_key), or null
/// with *why when it is absent or unreadable. Never logs key material.
std::shared_ptr<const net::api_key> exchange_credentials(std::string* why);

} // namespace trader::daemon
