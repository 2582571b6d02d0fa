#include "actors/exchange/coinbase/order_body.hpp"

#include "messages/names.hpp"
#include "runtime/clock.hpp"

#include <nlohmann/json.hpp>

namespace trader::exchange {

result<std::string_view, std::string> order_configuration_key(order_type type, time_in_force tif, bool post_only) {
  auto refuse = [&](const std::string& why) {
    return fail(std::string(to_string(type)) + " " + std::string(to_string(tif)) + (post_only ? " post_only" : "")
                + ": " + why);
  };
  switch (type) {
    case order_type::market:
      if (post_only)
        return refuse("a market order cannot be post_only");
      switch (tif) {
        case time_in_force::ioc:
          return std::string_view("market_market_ioc");
        case time_in_force::gtc:
        case time_in_force::gtd:
        case time_in_force::fok:  // market_market_fok exists for perpetuals only
          return refuse("spot market orders are IOC only");
      }
      break;
    case order_type::limit:
      switch (tif) {
        case time_in_force::gtc:
          return std::string_view("limit_limit_gtc");
        case time_in_force::gtd:
          return std::string_view("limit_limit_gtd");
        case time_in_force::ioc:
          if (post_only)
            return refuse("post_only cannot be immediate (the exchange has no post-only IOC)");
          return std::string_view("sor_limit_ioc");
        case time_in_force::fok:
          if (post_only)
            return refuse("post_only is not allowed with FOK (POST_ONLY_NOT_ALLOWED_WITH_FOK)");
          return std::string_view("limit_limit_fok");
      }
      break;
  }
  return refuse("unknown order type");
}

rest_result<std::string> order_body(const create_order& o, bool with_client_id, std::string_view endpoint) {
  auto key = order_configuration_key(o.type, o.tif, o.post_only);
  if (!key) {
    exchange_error e;
    e.kind = error_kind::bad_request;
    e.endpoint = std::string(endpoint);
    e.detail = "order " + o.id.value + " not sent: " + key.error();
    return e;
  }
  nlohmann::json c = nlohmann::json::object();
  if (!o.base_size.is_zero())
    c["base_size"] = to_string(o.base_size);
  else
    c["quote_size"] = to_string(o.quote_size);
  if (o.type == order_type::limit)
    c["limit_price"] = to_string(o.limit_px);
  if (o.type == order_type::limit && (o.tif == time_in_force::gtc || o.tif == time_in_force::gtd))
    c["post_only"] = o.post_only;
  if (o.tif == time_in_force::gtd)
    c["end_time"] = format_rfc3339(o.end_time);
  nlohmann::json body;
  if (with_client_id)
    body["client_order_id"] = o.id.value;
  body["product_id"] = o.product.value;
  body["side"] = o.dir == side::buy ? "BUY" : "SELL";
  body["order_configuration"][std::string(*key)] = c;
  return body.dump();
}

} // namespace trader::exchange
