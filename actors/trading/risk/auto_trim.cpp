#include "actors/trading/risk/auto_trim.hpp"

#include "actors/trading/risk/fixed_math.hpp"

#include <algorithm>
#include <map>

namespace trader::risk {

namespace {

struct holding {
  const position_view* pos;
  const market_entry* entry;
  price px;     ///< Mark used for exposure.
  size trim;    ///< Planned so far.
  notional value() const { return px * (pos->qty - trim); }
};

} // namespace

trim_plan plan_trims(const portfolio_snapshot& book, const risk_policy& policy, const market_snapshot& market,
                     ts_ns now) {
  trim_plan plan;
  if (book.nav.units <= 0)
    return plan;
  std::vector<holding> hs;
  for (const auto& p : book.positions) {
    if (p.qty.units <= 0)
      continue;
    hs.push_back({&p, market.find(p.product), p.mark.units > 0 ? p.mark : p.avg_entry, size{}});
  }
  // Trims `h` by at least `excess` of value (rounded up to the increment, at most the position).
  auto trim_by = [&](holding& h, notional excess) -> notional {
    const size inc = h.entry ? h.entry->rules.base_increment : size{};
    size want = std::min(size_for_at_least(excess, h.px, inc), h.pos->qty - h.trim);
    const notional before = h.value();
    h.trim += want;
    return before - h.value();
  };

  // Per asset (all pairs of one base), pending buys included.
  std::map<std::string, notional> pending_by_asset;
  notional pending_total;
  for (const auto& e : book.pending) {
    pending_by_asset[std::string(base_of(e.product))] += e.amount;
    pending_total += e.amount;
  }
  const notional asset_cap = pct_of(book.nav, policy.per_asset_cap_pct);
  std::map<std::string, std::vector<holding*>> by_asset;
  for (auto& h : hs)
    by_asset[std::string(base_of(h.pos->product))].push_back(&h);
  for (auto& [asset, list] : by_asset) {
    notional used = pending_by_asset[asset];
    for (auto* h : list)
      used += h->value();
    std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->value() > b->value(); });
    for (auto* h : list) {
      if (used <= asset_cap)
        break;
      used -= trim_by(*h, used - asset_cap);
    }
  }
  // Total at risk, largest first.
  const notional total_cap = pct_of(book.nav, policy.max_total_at_risk_pct);
  notional total = pending_total;
  for (const auto& h : hs)
    total += h.value();
  std::vector<holding*> order;
  order.reserve(hs.size());
  for (auto& h : hs)
    order.push_back(&h);
  std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->value() > b->value(); });
  for (auto* h : order) {
    if (total <= total_cap)
      break;
    total -= trim_by(*h, total - total_cap);
  }

  for (const auto& h : hs) {
    if (h.trim.units <= 0)
      continue;
    const auto& id = h.pos->product.value;
    if (!h.entry) {
      plan.notes.push_back("product=" + id + " trim=" + to_string(h.trim) + " skipped: unknown product");
      continue;
    }
    const auto& r = h.entry->rules;
    if (h.trim < r.base_min || h.px * h.trim < r.min_funds) {
      plan.notes.push_back("product=" + id + " trim=" + to_string(h.trim) + " skipped: below product minimum");
      continue;
    }
    order_intent it;
    it.product = h.pos->product;
    it.dir = side::sell;
    it.type = order_type::market;
    it.tif = time_in_force::ioc;
    it.post_only = false;
    it.reduce_only = true;
    it.base_size = h.trim;
    it.ts_created = now;
    it.proposal_id = "auto_trim";
    plan.intents.push_back(std::move(it));
    plan.notes.push_back("product=" + id + " trim=" + to_string(h.trim) + " value=" + to_string(h.px * h.trim));
  }
  return plan;
}

} // namespace trader::risk
