#include "actors/trading/drift/trip_tracker.hpp"

#include <algorithm>

namespace trader::drift {

std::vector<closed_trip> trip_tracker::on_portfolio(const portfolio_update& u) {
  std::vector<closed_trip> out;
  const double total = u.realized_total.to_double();
  std::map<std::string, open_trip> now;
  double explained = 0;
  for (const auto& p : u.positions) {
    if (p.qty.units <= 0)
      continue;
    auto& t = now[p.product.value];
    const double cost = (p.avg_entry * p.qty).to_double();
    const double realized = p.realized.to_double();
    if (auto it = open_.find(p.product.value); it != open_.end()) {
      t = it->second;
      explained += realized - it->second.realized;
      t.pnl += realized - it->second.realized;
    } else {
      t.strategy = p.strategy;
    }
    t.cost = std::max(t.cost, cost);
    t.realized = realized;
  }
  if (started_) {
    std::vector<std::pair<std::string, open_trip>> gone;
    double cost_sum = 0;
    for (const auto& [product, t] : open_)
      if (!now.count(product)) {
        gone.emplace_back(product, t);
        cost_sum += t.cost;
      }
    const double unexplained = total - realized_total_ - explained;
    for (const auto& [product, t] : gone) {
      closed_trip c;
      c.strategy = t.strategy;
      c.product = product_id{product};
      c.pnl = t.pnl + (cost_sum > 0 ? unexplained * t.cost / cost_sum : unexplained / static_cast<double>(gone.size()));
      c.return_pct = t.cost > 0 ? c.pnl / t.cost * 100.0 : 0.0;
      c.closed_at = u.ts;
      out.push_back(std::move(c));
    }
  }
  started_ = true;
  realized_total_ = total;
  open_ = std::move(now);
  return out;
}

} // namespace trader::drift
