#include "actors/trading/order_lifecycle/sell_reservations.hpp"

#include <algorithm>

namespace trader::order_lifecycle {

void sell_reservations::open(const std::string& id, const product_id& product, size base) {
  by_order_[id] = entry{product, base, size{}, true, base.units <= 0};
}

void sell_reservations::booked(const std::string& id, size base) {
  auto it = by_order_.find(id);
  if (it == by_order_.end())
    return;
  it->second.booked += base;
  if (!it->second.live && it->second.booked.units >= it->second.reserved.units)
    by_order_.erase(it);
}

void sell_reservations::finished(const std::string& id, size filled) {
  auto it = by_order_.find(id);
  if (it == by_order_.end())
    return;
  auto& e = it->second;
  e.live = false;
  e.unsized = false;
  e.reserved = filled;  // the unfilled part is void; the filled part waits for its fills
  if (e.booked.units >= e.reserved.units)
    by_order_.erase(it);
}

sell_reservations::pending sell_reservations::of(const product_id& product) const {
  pending out;
  for (auto& [id, e] : by_order_) {
    if (e.product != product)
      continue;
    out.unsized = out.unsized || (e.live && e.unsized);
    out.reserved += size{std::max<std::int64_t>(0, e.reserved.units - e.booked.units)};
  }
  return out;
}

std::string limit_sell(order_intent& in, size position, const sell_reservations::pending& p, bool* cut) {
  if (cut)
    *cut = false;
  if (in.dir != side::sell)
    return {};
  const size left{position.units - p.reserved.units};
  auto refusal = [&](const char* why) {
    return std::string{"SELL_EXCEEDS_POSITION: "} + why + " product=" + in.product.value +
           " position=" + to_string(position) + " pending_sells=" + to_string(p.reserved) +
           (in.base_size.units > 0 ? " size=" + to_string(in.base_size) : " quote_size=" + to_string(in.quote_size));
  };
  if (p.unsized)
    return refusal("a sell sized in quote is working (its base is unknown until it fills)");
  if (left.units <= 0)
    return refusal("nothing left to sell");
  if (in.base_size.units > left.units) {
    in.base_size = left;
    if (cut)
      *cut = true;
  }
  return {};
}

} // namespace trader::order_lifecycle
