#pragma once
// Stable names of message enums, for logs, audit entries, metrics labels and JSON.
// Switches list every enumerator (no default) so a new one is a compile warning.

#include "messages/gate.hpp"
#include "messages/market.hpp"
#include "messages/ops.hpp"
#include "messages/orders.hpp"
#include "messages/trading.hpp"

#include <optional>
#include <string_view>

namespace trader {

std::string_view to_string(side x);
std::string_view to_string(product_state x);
std::string_view to_string(proposal_kind x);
std::string_view to_string(order_type x);
std::string_view to_string(time_in_force x);
std::string_view to_string(decision_path x);
std::string_view to_string(order_state x);
std::string_view to_string(liquidity x);
std::string_view to_string(gate_reason x);
std::string_view to_string(severity x);
std::string_view to_string(actor_run_state x);

std::optional<gate_reason> parse_gate_reason(std::string_view s);
std::optional<product_state> parse_product_state(std::string_view s);

} // namespace trader
