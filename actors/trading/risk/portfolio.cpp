#include "actors/trading/risk/portfolio.hpp"

#include "actors/trading/risk/market_view.hpp"

#include <algorithm>

namespace trader::risk {

notional position_view::exposure() const { return (mark.units > 0 ? mark : avg_entry) * qty; }

const position_view* portfolio_snapshot::find(const product_id& p) const {
  for (const auto& pos : positions)
    if (pos.product == p)
      return &pos;
  return nullptr;
}

namespace {

bool in_theme(const theme_limits& t, std::string_view asset) {
  return std::find(t.assets.begin(), t.assets.end(), asset) != t.assets.end();
}

} // namespace

exposure_summary summarize(const portfolio_snapshot& book, const risk_policy& policy, const product_id& product,
                           std::string_view strategy) {
  exposure_summary s;
  const auto asset = base_of(product);
  for (const auto& t : policy.themes)
    if (in_theme(t, asset))
      s.themes.emplace_back(&t, notional{});
  auto charge = [&](std::string_view a, std::string_view strat, notional amount) {
    s.total += amount;
    if (a == asset)
      s.asset += amount;
    if (strat == strategy)
      s.strategy += amount;
    for (auto& [t, sum] : s.themes)
      if (in_theme(*t, a))
        sum += amount;
  };
  for (const auto& p : book.positions) {
    if (p.qty.units <= 0)
      continue;
    charge(base_of(p.product), p.strategy, p.exposure());
    ++s.open_positions;
    if (p.strategy == strategy)
      ++s.strategy_positions;
    if (p.adds > 0)
      ++s.pyramided_positions;
  }
  std::vector<const product_id*> opening;  // products a pending order opens, each counted once
  for (const auto& e : book.pending) {
    charge(base_of(e.product), e.strategy, e.amount);
    if (!e.new_position || book.find(e.product) ||
        std::any_of(opening.begin(), opening.end(), [&](const product_id* p) { return *p == e.product; }))
      continue;
    opening.push_back(&e.product);
    ++s.open_positions;
    if (e.strategy == strategy)
      ++s.strategy_positions;
  }
  return s;
}

} // namespace trader::risk
