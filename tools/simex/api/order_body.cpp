#include "tools/simex/api/order_body.hpp"

#include "tools/simex/engine/time_format.hpp"

#include <nlohmann/json.hpp>

namespace trader::simex {

namespace {

using json = nlohmann::json;

bool looks_numeric(std::string_view s) {
  if (s.empty())
    return false;
  std::size_t i = s.front() == '-' || s.front() == '+' ? 1 : 0;
  bool digit = false, dot = false;
  for (; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9')
      digit = true;
    else if (s[i] == '.' && !dot)
      dot = true;
    else
      return false;
  }
  return digit;
}

/// Reads a decimal string field. 0: absent, 1: ok, -1: malformed, -2: more than 8 decimals.
template <class Tag>
int read_decimal(const json& obj, const char* name, fixed<Tag>& out) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null())
    return 0;
  std::string text;
  if (it->is_string())
    text = it->get<std::string>();
  else if (it->is_number())
    text = it->dump();
  else
    return -1;
  if (text.empty())
    return 0;
  if (auto v = parse_fixed<Tag>(text)) {
    out = *v;
    return 1;
  }
  return looks_numeric(text) ? -2 : -1;
}

bool read_bool(const json& obj, const char* name, bool& out) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null())
    return true;
  if (it->is_boolean()) {
    out = it->get<bool>();
    return true;
  }
  if (it->is_string()) {
    auto s = it->get<std::string>();
    for (auto& c : s)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "true" || s == "false") {
      out = s == "true";
      return true;
    }
  }
  return false;
}

} // namespace

order_body parse_order_body(std::string_view body, std::string_view user, bool require_client_id) {
  order_body out;
  out.request.user = std::string{user};
  auto malformed = [&](std::string msg) {
    out.status = body_status::malformed;
    out.message = std::move(msg);
    return out;
  };
  auto rejected = [&](std::string_view reason, std::string_view preview, std::string msg) {
    out.status = body_status::rejected;
    out.reason = reason;
    out.preview_reason = preview;
    out.message = std::move(msg);
    return out;
  };
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return malformed("request body is not a JSON object");
  auto str = [&](const char* name, std::string& dst) {
    auto it = doc.find(name);
    if (it == doc.end() || it->is_null())
      return true;
    if (!it->is_string())
      return false;
    dst = it->get<std::string>();
    return true;
  };
  std::string side_text;
  if (!str("client_order_id", out.request.client_order_id) || !str("product_id", out.request.product_id)
      || !str("side", side_text))
    return malformed("client_order_id, product_id and side must be strings");
  auto cfg_it = doc.find("order_configuration");
  if (cfg_it != doc.end() && cfg_it->is_object())
    out.config_json = cfg_it->dump();
  else
    out.config_json = "{}";
  if (require_client_id && out.request.client_order_id.empty())
    return malformed("client_order_id is required");
  if (out.request.product_id.empty())
    return malformed("product_id is required");
  if (side_text == "BUY")
    out.request.order_side = side::buy;
  else if (side_text == "SELL")
    out.request.order_side = side::sell;
  else
    return rejected("INVALID_SIDE", "PREVIEW_INVALID_SIDE", "side must be BUY or SELL");
  if (cfg_it == doc.end() || !cfg_it->is_object() || cfg_it->size() != 1)
    return rejected("UNSUPPORTED_ORDER_CONFIGURATION", "PREVIEW_INVALID_ORDER_CONFIG",
                    "order_configuration must have exactly one key");
  out.request.configuration_json = out.config_json;
  const std::string key = cfg_it->begin().key();
  const json& cfg = cfg_it->begin().value();
  if (!cfg.is_object())
    return malformed("order_configuration." + key + " must be an object");
  if (key == "market_market_ioc")
    out.request.kind = order_kind::market_ioc;
  else if (key == "limit_limit_gtc")
    out.request.kind = order_kind::limit_gtc;
  else if (key == "limit_limit_gtd")
    out.request.kind = order_kind::limit_gtd;
  else if (key == "sor_limit_ioc")
    out.request.kind = order_kind::limit_ioc;
  else if (key == "limit_limit_fok")
    out.request.kind = order_kind::limit_fok;
  else
    return rejected("UNSUPPORTED_ORDER_CONFIGURATION", "PREVIEW_INVALID_ORDER_CONFIG",
                    key + " is not supported by simex");
  size base;
  notional quote;
  int b = read_decimal(cfg, "base_size", base);
  int q = read_decimal(cfg, "quote_size", quote);
  if (b == -1 || q == -1)
    return malformed("base_size/quote_size must be decimal strings");
  if (b == -2)
    return rejected("INVALID_SIZE_PRECISION", "PREVIEW_INVALID_SIZE_PRECISION", "base_size has too many decimals");
  if (q == -2)
    return rejected("INVALID_SIZE_PRECISION", "PREVIEW_INVALID_QUOTE_SIZE_PRECISION",
                    "quote_size has too many decimals");
  if (b == 1)
    out.request.base_size = base;
  if (q == 1)
    out.request.quote_size = quote;
  if (out.request.kind != order_kind::market_ioc) {
    int l = read_decimal(cfg, "limit_price", out.request.limit_price);
    if (l == -1)
      return malformed("limit_price must be a decimal string");
    if (l == -2)
      return rejected("INVALID_PRICE_PRECISION", "PREVIEW_INVALID_PRICE_PRECISION", "limit_price has too many decimals");
    if (l == 0)
      return rejected("INVALID_LIMIT_PRICE", "PREVIEW_INVALID_LIMIT_PRICE", "limit_price is required");
    if (!read_bool(cfg, "post_only", out.request.post_only))
      return malformed("post_only must be a boolean");
  }
  if (out.request.kind == order_kind::limit_gtd) {
    auto it = cfg.find("end_time");
    if (it != cfg.end() && it->is_string() && !it->get<std::string>().empty()) {
      auto t = parse_rfc3339(it->get<std::string>());
      if (!t)
        return malformed("end_time must be RFC 3339");
      out.request.end_time = *t;
    }
  }
  return out;
}

} // namespace trader::simex
