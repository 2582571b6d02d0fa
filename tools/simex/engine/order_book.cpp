#include "tools/simex/engine/order_book.hpp"

#include <algorithm>

namespace trader::simex {

std::size_t order_book::book_side::lower(std::int64_t px) const {
  // Levels run worst → best: ascending prices for bids, descending for asks. A ladder that
  // moves adds its new levels beyond either end, so the ends are tried before the search.
  const auto worse = [this](std::int64_t a, std::int64_t b) { return bids ? a < b : a > b; };
  if (levels.empty() || worse(levels.back().px, px))
    return levels.size();
  if (!worse(levels.front().px, px))
    return 0;
  auto it = bids ? std::lower_bound(levels.begin(), levels.end(), px, [](const level& l, std::int64_t v) { return l.px < v; })
                 : std::lower_bound(levels.begin(), levels.end(), px, [](const level& l, std::int64_t v) { return l.px > v; });
  return static_cast<std::size_t>(it - levels.begin());
}

std::size_t order_book::book_side::find(std::int64_t px) const {
  // The best level first: takers, the ladder's inner levels and many removes are there (lower()
  // answers the worst level without a search too).
  if (levels.empty())
    return 0;
  if (levels.back().px == px)
    return levels.size() - 1;
  const std::size_t i = lower(px);
  return i < levels.size() && levels[i].px == px ? i : levels.size();
}

order_book::level& order_book::level_for(book_side& bs, std::int64_t px) {
  const std::size_t i = bs.lower(px);
  if (i < bs.levels.size() && bs.levels[i].px == px)
    return bs.levels[i];
  std::uint32_t q = 0;
  if (free_queues_.empty()) {
    q = static_cast<std::uint32_t>(queues_.size());
    queues_.emplace_back();
  } else {
    q = free_queues_.back();
    free_queues_.pop_back();
  }
  return *bs.levels.insert(bs.levels.begin() + static_cast<std::ptrdiff_t>(i), level{px, size{}, q});
}

void order_book::erase_level(book_side& bs, std::size_t i) {
  const auto it = bs.levels.begin() + static_cast<std::ptrdiff_t>(i);
  queues_[it->queue].clear();
  free_queues_.push_back(it->queue);
  bs.levels.erase(it);
}

void order_book::add(side s, price px, book_entry e) {
  auto& lvl = level_for(side_of(s), px.units);
  lvl.total += e.qty;
  queue(lvl).push_back(e);
  touched_.push_back({s, px});
}

size order_book::remove(side s, price px, std::uint64_t ref) {
  auto& bs = side_of(s);
  const std::size_t i = bs.find(px.units);
  if (i == bs.levels.size())
    return size{};
  auto& lvl = bs.levels[i];
  auto& q = queue(lvl);
  auto it = std::find_if(q.begin(), q.end(), [&](const book_entry& e) { return e.ref == ref; });
  if (it == q.end())
    return size{};
  const size left = it->qty;
  lvl.total -= left;
  q.erase(it);
  if (q.empty())
    erase_level(bs, i);
  touched_.push_back({s, px});
  return left;
}

void order_book::set_qty(side s, price px, std::uint64_t ref, size qty) {
  auto& bs = side_of(s);
  const std::size_t i = bs.find(px.units);
  if (i == bs.levels.size())
    return;
  auto& lvl = bs.levels[i];
  for (auto& e : queue(lvl)) {
    if (e.ref == ref) {
      lvl.total += qty - e.qty;
      e.qty = qty;
      touched_.push_back({s, px});
      return;
    }
  }
}

std::optional<price> order_book::best(side s) const {
  const auto& bs = side_of(s);
  if (bs.levels.empty())
    return std::nullopt;
  return price::from_units(bs.levels.back().px);
}

const book_entry* order_book::front(side s, price& px) const {
  const auto& bs = side_of(s);
  if (bs.levels.empty())
    return nullptr;
  const auto& l = bs.levels.back();
  px = price::from_units(l.px);
  return &queues_[l.queue].front();
}

void order_book::consume_front(side s, size qty) {
  auto& bs = side_of(s);
  if (bs.levels.empty())
    return;
  auto& l = bs.levels.back();
  auto& q = queue(l);
  q.front().qty -= qty;
  l.total -= qty;
  if (q.front().qty.units <= 0)
    q.erase(q.begin());
  touched_.push_back({s, price::from_units(l.px)});
  if (q.empty())
    erase_level(bs, bs.levels.size() - 1);
}

size order_book::qty_at(side s, price px) const {
  const auto& bs = side_of(s);
  const std::size_t i = bs.find(px.units);
  return i == bs.levels.size() ? size{} : bs.levels[i].total;
}

bool order_book::crosses(side taker_side, price px) const {
  auto opp = best(opposite(taker_side));
  if (!opp)
    return false;
  return taker_side == side::buy ? *opp <= px : *opp >= px;
}

void order_book::for_each_level(side s, std::size_t depth, const std::function<void(price, size)>& f) const {
  const auto& bs = side_of(s);
  const std::size_t n = depth == 0 ? bs.levels.size() : std::min(depth, bs.levels.size());
  for (std::size_t k = 0; k < n; ++k) {
    const auto& l = bs.levels[bs.levels.size() - 1 - k];
    f(price::from_units(l.px), l.total);
  }
}

} // namespace trader::simex
