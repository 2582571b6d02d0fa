#include "tools/simex/engine/order_book.hpp"

#include <algorithm>
#include <type_traits>

namespace trader::simex {

book_level* order_book::level(side s, price px) {
  if (s == side::buy) {
    auto it = bids_.find(px.units);
    return it == bids_.end() ? nullptr : &it->second;
  }
  auto it = asks_.find(px.units);
  return it == asks_.end() ? nullptr : &it->second;
}

namespace {
constexpr std::size_t max_spare_levels = 256;
} // namespace

template <class Map>
void order_book::erase_level(Map& map, typename Map::iterator it) {
  auto& spare = [this]() -> auto& {
    if constexpr (std::is_same_v<Map, bid_map>)
      return spare_bids_;
    else
      return spare_asks_;
  }();
  if (spare.size() >= max_spare_levels) {
    map.erase(it);
    return;
  }
  spare.push_back(map.extract(it));
}

template <class Map>
book_level& order_book::level_for(Map& map, std::int64_t px) {
  auto it = map.lower_bound(px);
  if (it != map.end() && it->first == px)
    return it->second;
  auto& spare = [this]() -> auto& {
    if constexpr (std::is_same_v<Map, bid_map>)
      return spare_bids_;
    else
      return spare_asks_;
  }();
  if (spare.empty())
    return map.emplace_hint(it, px, book_level{})->second;
  auto node = std::move(spare.back());
  spare.pop_back();
  node.key() = px;
  node.mapped().total = size{};
  node.mapped().queue.clear();
  return map.insert(it, std::move(node))->second;
}

void order_book::add(side s, price px, book_entry e) {
  auto& lvl = s == side::buy ? level_for(bids_, px.units) : level_for(asks_, px.units);
  lvl.total += e.qty;
  lvl.queue.push_back(e);
  touched_.push_back({s, px});
}

template <class Map>
size order_book::remove_from(Map& map, side s, price px, std::uint64_t ref) {
  auto lvl = map.find(px.units);
  if (lvl == map.end())
    return size{};
  auto& queue = lvl->second.queue;
  auto it = std::find_if(queue.begin(), queue.end(), [&](const book_entry& e) { return e.ref == ref; });
  if (it == queue.end())
    return size{};
  size q = it->qty;
  lvl->second.total -= q;
  queue.erase(it);
  if (queue.empty())
    erase_level(map, lvl);
  touched_.push_back({s, px});
  return q;
}

size order_book::remove(side s, price px, std::uint64_t ref) {
  return s == side::buy ? remove_from(bids_, s, px, ref) : remove_from(asks_, s, px, ref);
}

void order_book::set_qty(side s, price px, std::uint64_t ref, size qty) {
  auto* lvl = level(s, px);
  if (lvl == nullptr)
    return;
  for (auto& e : lvl->queue) {
    if (e.ref == ref) {
      lvl->total += qty - e.qty;
      e.qty = qty;
      touched_.push_back({s, px});
      return;
    }
  }
}

std::optional<price> order_book::best(side s) const {
  if (s == side::buy)
    return bids_.empty() ? std::nullopt : std::optional<price>{price::from_units(bids_.begin()->first)};
  return asks_.empty() ? std::nullopt : std::optional<price>{price::from_units(asks_.begin()->first)};
}

const book_entry* order_book::front(side s, price& px) const {
  if (s == side::buy) {
    if (bids_.empty())
      return nullptr;
    px = price::from_units(bids_.begin()->first);
    return &bids_.begin()->second.queue.front();
  }
  if (asks_.empty())
    return nullptr;
  px = price::from_units(asks_.begin()->first);
  return &asks_.begin()->second.queue.front();
}

void order_book::consume_front(side s, size qty) {
  auto consume = [&](auto& map) {
    auto it = map.begin();
    auto& lvl = it->second;
    lvl.queue.front().qty -= qty;
    lvl.total -= qty;
    if (lvl.queue.front().qty.units <= 0)
      lvl.queue.erase(lvl.queue.begin());
    touched_.push_back({s, price::from_units(it->first)});
    if (lvl.queue.empty())
      erase_level(map, it);
  };
  if (s == side::buy) {
    if (!bids_.empty())
      consume(bids_);
  } else if (!asks_.empty()) {
    consume(asks_);
  }
}

size order_book::qty_at(side s, price px) const {
  if (s == side::buy) {
    auto it = bids_.find(px.units);
    return it == bids_.end() ? size{} : it->second.total;
  }
  auto it = asks_.find(px.units);
  return it == asks_.end() ? size{} : it->second.total;
}

bool order_book::crosses(side taker_side, price px) const {
  auto opp = best(opposite(taker_side));
  if (!opp)
    return false;
  return taker_side == side::buy ? *opp <= px : *opp >= px;
}

void order_book::for_each_level(side s, std::size_t depth, const std::function<void(price, size)>& f) const {
  std::size_t n = 0;
  auto walk = [&](const auto& map) {
    for (const auto& [px, lvl] : map) {
      if (depth != 0 && n++ >= depth)
        return;
      f(price::from_units(px), lvl.total);
    }
  };
  if (s == side::buy)
    walk(bids_);
  else
    walk(asks_);
}

} // namespace trader::simex
