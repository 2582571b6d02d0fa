#include "actors/exchange/products/product_cache.hpp"

#include "messages/names.hpp"

namespace trader::products {

cache_update product_cache::replace(std::vector<product_info> products, ts_ns now) {
  cache_update u;
  std::map<std::string, product_info> next;
  std::map<std::string, product_state> degraded;
  for (auto& p : products) {
    auto old = by_id_.find(p.product.value);
    bool first_seen = old == by_id_.end();
    if ((first_seen && p.state != product_state::online) || (!first_seen && old->second.state != p.state))
      u.changed.push_back(product_status{p.product, p.state, now, now});
    if (p.state != product_state::online)
      degraded[p.product.value] = p.state;
    auto key = p.product.value;
    next.emplace(std::move(key), std::move(p));
  }
  // A product that vanished from the list can no longer be traded: report it offline.
  for (auto& [id, p] : by_id_)
    if (!next.count(id)) {
      u.changed.push_back(product_status{p.product, product_state::offline, now, now});
      degraded[id] = product_state::offline;
    }
  u.degraded_changed = degraded != degraded_;
  by_id_ = std::move(next);
  degraded_ = std::move(degraded);
  fetched_ = now;
  return u;
}

std::optional<product_info> product_cache::find(const product_id& id) const {
  auto it = by_id_.find(id.value);
  if (it == by_id_.end())
    return std::nullopt;
  return it->second;
}

std::vector<product_info> product_cache::all() const {
  std::vector<product_info> out;
  out.reserve(by_id_.size());
  for (auto& [id, p] : by_id_)
    out.push_back(p);
  return out;
}

std::string product_cache::degraded_text() const {
  std::string out;
  for (auto& [id, st] : degraded_)
    out += (out.empty() ? "" : ",") + id + "=" + std::string(to_string(st));
  return out;
}

} // namespace trader::products
