#pragma once
// Parsing of the POST /orders (and /orders/preview) body into an order_request.

#include "tools/simex/engine/order.hpp"

#include <string>
#include <string_view>

namespace trader::simex {

/// How a body parse ended.
enum class body_status : std::uint8_t {
  ok,        ///< request is filled in.
  malformed, ///< Not JSON or a field has the wrong type: HTTP 400 INVALID_ARGUMENT.
  rejected,  ///< Well-formed but refused: HTTP 200 success:false with reason/preview_reason.
};

/// Result of parse_order_body.
struct order_body {
  body_status status = body_status::ok;
  order_request request;
  std::string message;              ///< Why, for malformed/rejected.
  std::string_view reason;          ///< new_order_failure_reason when rejected.
  std::string_view preview_reason;  ///< preview_failure_reason when rejected.
  std::string config_json;          ///< The order_configuration object as sent ("{}" if absent).
};

/// Parses a create/preview body. require_client_id: POST /orders needs client_order_id.
order_body parse_order_body(std::string_view body, std::string_view user, bool require_client_id);

} // namespace trader::simex
