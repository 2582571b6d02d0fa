#include "actors/exchange/feed/order_book.hpp"

namespace trader::feed {

namespace {

template <class Map>
std::size_t apply_side(Map& side, const std::vector<book_level>& levels) {
  std::size_t unknown = 0;
  for (const auto& l : levels) {
    if (l.qty.units <= 0) {
      // Coinbase sends deletes of levels it never showed us (27 of them for BTC in the
      // recorded session): not an error, nothing to remove.
      if (side.erase(l.px.units) == 0)
        ++unknown;
    } else {
      side.insert_or_assign(l.px.units, l.qty.units);
    }
  }
  return unknown;
}

template <class Map>
void copy_top(const Map& side, std::int32_t depth, std::vector<book_level>& out) {
  out.reserve(static_cast<std::size_t>(depth));
  for (auto it = side.begin(); it != side.end() && static_cast<std::int32_t>(out.size()) < depth; ++it)
    out.push_back(book_level{price::from_units(it->first), size::from_units(it->second)});
}

} // namespace

order_book::apply_result order_book::apply(const book_update& u) {
  apply_result r;
  if (u.is_snapshot) {
    bids_.clear();
    asks_.clear();
    has_snapshot_ = true;
  } else if (!has_snapshot_) {
    return r;
  }
  r.applied = true;
  r.unknown_deletes = apply_side(bids_, u.bids) + apply_side(asks_, u.asks);
  sequence_ = u.sequence;
  ts_event_ = u.ts_event;
  ts_recv_ = u.ts_recv;
  return r;
}

void order_book::invalidate() {
  bids_.clear();
  asks_.clear();
  has_snapshot_ = false;
}

std::optional<book_level> order_book::best_bid() const {
  if (bids_.empty())
    return std::nullopt;
  return book_level{price::from_units(bids_.begin()->first), size::from_units(bids_.begin()->second)};
}

std::optional<book_level> order_book::best_ask() const {
  if (asks_.empty())
    return std::nullopt;
  return book_level{price::from_units(asks_.begin()->first), size::from_units(asks_.begin()->second)};
}

bool order_book::crossed() const {
  return !bids_.empty() && !asks_.empty() && bids_.begin()->first >= asks_.begin()->first;
}

book_snapshot order_book::top(const product_id& p, std::int32_t depth) const {
  book_snapshot s;
  s.product = p;
  if (depth < 0)
    depth = 0;
  copy_top(bids_, depth, s.bids);
  copy_top(asks_, depth, s.asks);
  s.sequence = sequence_;
  s.ts_event = ts_event_;
  s.ts_recv = ts_recv_;
  return s;
}

} // namespace trader::feed
