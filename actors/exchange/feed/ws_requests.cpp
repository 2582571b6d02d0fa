#include "actors/exchange/feed/ws_requests.hpp"

#include <nlohmann/json.hpp>

namespace trader::feed {

namespace {

std::string build(const char* type, std::string_view channel, const std::vector<product_id>& products,
                  std::string_view jwt) {
  nlohmann::json j{{"type", type}};
  if (!products.empty()) {
    auto ids = nlohmann::json::array();
    for (auto& p : products)
      ids.push_back(p.value);
    j["product_ids"] = std::move(ids);
  }
  j["channel"] = std::string(channel);
  if (!jwt.empty())
    j["jwt"] = std::string(jwt);
  return j.dump();
}

} // namespace

std::string subscribe_message(std::string_view channel, const std::vector<product_id>& products,
                              std::string_view jwt) {
  return build("subscribe", channel, products, jwt);
}

std::string unsubscribe_message(std::string_view channel, const std::vector<product_id>& products,
                                std::string_view jwt) {
  return build("unsubscribe", channel, products, jwt);
}

} // namespace trader::feed
