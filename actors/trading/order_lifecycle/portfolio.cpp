#include "actors/trading/order_lifecycle/portfolio.hpp"

#include "actors/trading/order_lifecycle/client_order_ids.hpp"

namespace trader::order_lifecycle {

void position_meta::on_fill(const product_id& product, const client_order_id& order, ts_ns ts_event,
                            const position& after) {
  auto& e = by_product_[product.value];
  if (after.flat()) {
    e = entry{};
    return;
  }
  if (e.fills == 0) {  // this fill opened it
    auto parts = parse_client_order_id(order.value);
    e.strategy = parts ? parts->strategy : std::string{};
    e.opened_at = ts_event;
  }
  ++e.fills;
}

const position_meta::entry* position_meta::find(const std::string& product) const {
  auto it = by_product_.find(product);
  return it == by_product_.end() ? nullptr : &it->second;
}

std::optional<working_order> to_working(const persistence::order_record& r, notional quote_size,
                                        const std::string& strategy) {
  if (!persistence::is_open(r.status))
    return std::nullopt;
  working_order w;
  w.id = r.id;
  w.product = r.product;
  w.strategy = strategy;
  w.dir = r.side == persistence::order_side::buy ? side::buy : side::sell;
  w.reduce_only = r.reduce_only;
  switch (r.status) {
    case persistence::order_status::created: w.state = order_state::created; break;
    case persistence::order_status::unknown: w.state = order_state::unknown; break;
    case persistence::order_status::partially_filled: w.state = order_state::partially_filled; break;
    default: w.state = order_state::open; break;
  }
  if (r.qty.units > 0) {
    w.remaining_qty = size{r.qty.units > r.filled_qty.units ? r.qty.units - r.filled_qty.units : 0};
    if (r.limit_px.units > 0)
      w.remaining = r.limit_px * w.remaining_qty;
  } else {
    w.remaining = quote_size;  // quote-sized: what is left is not known until it is done
  }
  return w;
}

portfolio_update make_portfolio(const ledger& l, const position_meta& meta, std::vector<working_order> working,
                                ts_ns now) {
  portfolio_update u;
  u.cash = l.cash();
  for (auto& [product, p] : l.positions()) {
    if (p.qty.units <= 0)
      continue;  // flat (a negative quantity means coins held outside the ledger: a reconcile mismatch)
    position_state s;
    s.product = product_id{product};
    s.qty = p.qty;
    s.avg_entry = p.avg_entry();
    s.realized = p.realized;
    s.updated_at = p.updated_at;
    if (auto* m = meta.find(product)) {
      s.strategy = m->strategy;
      s.fills = m->fills;
      s.opened_at = m->opened_at;
    }
    u.positions.push_back(std::move(s));
  }
  u.working = std::move(working);
  u.realized_day = l.day(now).realized;
  u.realized_week = l.week(now).realized;
  auto total = l.total();
  u.realized_total = total.realized;
  u.fees_total = total.fees;
  u.high_water = l.high_water();
  u.high_water_at = l.high_water_at();
  u.ts = now;
  return u;
}

} // namespace trader::order_lifecycle
