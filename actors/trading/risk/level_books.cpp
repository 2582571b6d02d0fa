#include "actors/trading/risk/level_books.hpp"

namespace trader::risk {

namespace {

template <class Side>
void set_level(Side& side, const book_level& l) {
  if (l.qty.units <= 0)
    side.erase(l.px.units);
  else if (l.px.units > 0)
    side[l.px.units] = l.qty.units;
}

template <class Side>
void copy_top(const Side& side, std::size_t depth, std::vector<book_level>& out) {
  out.clear();
  for (auto it = side.begin(); it != side.end() && out.size() < depth; ++it)
    out.push_back(book_level{price{it->first}, size{it->second}});
}

} // namespace

void level_books::apply(const book_update& u) {
  auto& b = books_[u.product];
  if (u.is_snapshot) {
    b.bids.clear();
    b.asks.clear();
    b.snapshot = true;
  } else if (!b.snapshot || (u.sequence != 0 && u.sequence < b.sequence)) {
    return;  // nothing to apply it to, or older than what the book holds
  }
  for (const auto& l : u.bids)
    set_level(b.bids, l);
  for (const auto& l : u.asks)
    set_level(b.asks, l);
  b.sequence = u.sequence;
  b.ts_recv = u.ts_recv;
  b.ts_event = u.ts_event;
}

void level_books::drop(const product_id& p) {
  if (p.value.empty())
    books_.clear();
  else
    books_.erase(p);
}

bool level_books::usable(const product_id& p) const {
  auto it = books_.find(p);
  if (it == books_.end() || !it->second.snapshot)
    return false;
  const auto& b = it->second;
  return !b.bids.empty() && !b.asks.empty() && b.bids.begin()->first < b.asks.begin()->first;
}

bool level_books::top(const product_id& p, std::size_t depth, std::vector<book_level>& bids,
                      std::vector<book_level>& asks) const {
  bids.clear();
  asks.clear();
  if (!usable(p))
    return false;
  const auto& b = books_.at(p);
  copy_top(b.bids, depth, bids);
  copy_top(b.asks, depth, asks);
  return true;
}

ts_ns level_books::updated_at(const product_id& p) const {
  auto it = books_.find(p);
  return it == books_.end() ? 0 : it->second.ts_recv;
}

ts_ns level_books::event_at(const product_id& p) const {
  auto it = books_.find(p);
  return it == books_.end() ? 0 : it->second.ts_event;
}

} // namespace trader::risk
