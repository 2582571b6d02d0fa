#include "actors/exchange/orders/tick_to_order.hpp"

#include "messages/names.hpp"

#include <algorithm>
#include <string>

namespace trader::orders {

std::string tick_to_order_path_key(decision_path path) {
  return std::string{tick_to_order_key} + ":" + std::string{to_string(path)};
}

std::vector<latency_sample> tick_to_order_samples(mono_ns origin_mono, decision_path path, mono_ns written_mono,
                                                  ts_ns wall) {
  std::vector<latency_sample> out;
  if (origin_mono <= 0)
    return out;
  auto ns = std::max<std::int64_t>(0, written_mono - origin_mono);
  out.push_back(latency_sample{tick_to_order_key, ns, true, wall});
  if (path != decision_path::none)
    out.push_back(latency_sample{tick_to_order_path_key(path), ns, true, wall});
  return out;
}

} // namespace trader::orders
