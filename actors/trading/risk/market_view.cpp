#include "actors/trading/risk/market_view.hpp"

#include <algorithm>

namespace trader::risk {

void market_snapshot::upsert(market_entry e) {
  auto key = e.rules.product;
  entries_.insert_or_assign(std::move(key), std::move(e));
}

const market_entry* market_snapshot::find(const product_id& p) const {
  auto it = entries_.find(p);
  return it == entries_.end() ? nullptr : &it->second;
}

market_entry* market_snapshot::edit(const product_id& p) {
  auto it = entries_.find(p);
  return it == entries_.end() ? nullptr : &it->second;
}

std::string_view base_of(const product_id& p) {
  std::string_view s = p.value;
  auto dash = s.find('-');
  return dash == std::string_view::npos ? s : s.substr(0, dash);
}

price mid(const quote& q) { return price{q.bid.units / 2 + q.ask.units / 2 + (q.bid.units % 2 + q.ask.units % 2) / 2}; }

double spread_bps(const quote& q) {
  auto m = mid(q);
  if (m.units <= 0)
    return 0;
  return 10'000.0 * static_cast<double>(q.ask.units - q.bid.units) / static_cast<double>(m.units);
}

std::int64_t quote_age_ns(const quote& q, ts_ns now, std::int64_t clock_offset_ns) {
  const std::int64_t by_event = now + clock_offset_ns - q.ts_event;
  if (q.ts_recv == 0)
    return by_event;
  const std::int64_t by_recv = now - q.ts_recv;
  return std::max(by_event, by_recv);
}

std::optional<product_id> best_pair(std::string_view base, const market_snapshot& m,
                                    const std::vector<std::string>& quotes, ts_ns now, std::int64_t max_age_ns) {
  const market_entry* best = nullptr;
  double best_spread = 0;
  std::size_t best_rank = 0;
  for (const auto& [id, e] : m.entries()) {
    if (e.rules.base != base || !e.status || *e.status != product_state::online || !e.top)
      continue;
    auto rank = static_cast<std::size_t>(std::find(quotes.begin(), quotes.end(), e.rules.quote) - quotes.begin());
    if (rank == quotes.size())
      continue;
    const auto& q = *e.top;
    if (q.bid.units <= 0 || q.ask.units < q.bid.units)
      continue;
    auto age = quote_age_ns(q, now, m.clock_offset_ns);
    if (age > max_age_ns || age < -max_age_ns)
      continue;
    const double s = spread_bps(q);
    if (!best || s < best_spread || (s == best_spread && rank < best_rank)) {
      best = &e;
      best_spread = s;
      best_rank = rank;
    }
  }
  if (!best)
    return std::nullopt;
  return best->rules.product;
}

} // namespace trader::risk
