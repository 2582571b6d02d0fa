#pragma once
// The JSON body of POST /orders and /orders/preview: our one order vocabulary
// (order_type, time_in_force, post_only — messages/orders.hpp) mapped onto exactly one of
// Coinbase's order_configuration keys (coinbase-api.md §2.2). No CAF.

#include "actors/exchange/coinbase/rest_result.hpp"
#include "messages/exchange.hpp"

#include <string>
#include <string_view>

namespace trader::exchange {

/// The order_configuration key of (type, tif, post_only): market IOC → market_market_ioc;
/// limit GTC → limit_limit_gtc, GTD → limit_limit_gtd, IOC → sor_limit_ioc, FOK →
/// limit_limit_fok. Otherwise why the combination cannot be sent (a spot market order is
/// IOC only; post_only goes with GTC/GTD only, as the exchange refuses it with IOC/FOK).
result<std::string_view, std::string> order_configuration_key(order_type type, time_in_force tif, bool post_only);

/// The body for o (client_order_id included when with_client_id), or a bad_request of
/// `endpoint` when o cannot be expressed: such an order is never sent.
rest_result<std::string> order_body(const create_order& o, bool with_client_id, std::string_view endpoint);

} // namespace trader::exchange
