#include "actors/exchange/feed/feed_state.hpp"

#include <algorithm>
#include <memory>
#include <random>

namespace trader::feed {

exchange::backoff::uniform_fn jitter_source(std::uint64_t seed) {
  if (seed == 0)
    return {};
  return [gen = std::make_shared<std::mt19937_64>(seed)] { return std::uniform_real_distribution<double>(0.0, 1.0)(*gen); };
}

// -- sequence ------------------------------------------------------------------

sequence_tracker::result sequence_tracker::observe(std::int64_t seq) {
  result r;
  if (next_ < 0) {
    next_ = seq + 1;
    r.v = verdict::first;
    return r;
  }
  r.expected = next_;
  if (seq == next_) {
    r.v = verdict::in_order;
    ++next_;
  } else if (seq > next_) {
    r.v = verdict::gap;
    r.missing = seq - next_;
    ++gaps_;
    next_ = seq + 1;
  } else {
    r.v = verdict::old;  // a replayed or reordered message: already past it
  }
  return r;
}

// -- staleness -----------------------------------------------------------------

void staleness_monitor::watch(const product_id& p, mono_ns now) {
  auto [it, inserted] = entries_.try_emplace(p, entry{now, false});
  if (!inserted && !it->second.stale)
    it->second.last = std::max(it->second.last, now);
}

bool staleness_monitor::touch(const product_id& p, mono_ns now) {
  auto& e = entries_[p];
  e.last = now;
  if (e.stale) {
    e.stale = false;
    return true;
  }
  return false;
}

std::vector<staleness_monitor::change> staleness_monitor::check(mono_ns now) {
  std::vector<change> out;
  for (auto& [p, e] : entries_) {
    auto age = now - e.last;
    if (!e.stale && age > max_age_ns_) {
      e.stale = true;
      out.push_back(change{p, age});
    }
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.product < b.product; });
  return out;
}

bool staleness_monitor::is_stale(const product_id& p) const {
  auto it = entries_.find(p);
  return it != entries_.end() && it->second.stale;
}

std::int64_t staleness_monitor::age_ns(const product_id& p, mono_ns now) const {
  auto it = entries_.find(p);
  return it == entries_.end() ? -1 : now - it->second.last;
}

std::int64_t staleness_monitor::max_age_seen_ns(mono_ns now) const {
  std::int64_t m = 0;
  for (auto& [p, e] : entries_)
    m = std::max(m, now - e.last);
  return m;
}

// -- gate aggregation ----------------------------------------------------------

std::optional<gate_change> gate_aggregator::set(gate_reason r, const product_id& p, bool active) {
  auto& s = by_reason_[r];
  bool changed = active ? s.insert(p).second : s.erase(p) != 0;
  if (!changed)
    return std::nullopt;
  gate_change c;
  c.reason = r;
  c.active = !s.empty();
  c.detail = "products=";
  bool first = true;
  for (auto& x : s) {
    c.detail += (first ? "" : ",") + x.value;
    first = false;
  }
  if (s.empty())
    c.detail += "none (cleared by " + p.value + ")";
  return c;
}

bool gate_aggregator::has(gate_reason r, const product_id& p) const {
  auto it = by_reason_.find(r);
  return it != by_reason_.end() && it->second.count(p) != 0;
}

bool gate_aggregator::any(gate_reason r) const {
  auto it = by_reason_.find(r);
  return it != by_reason_.end() && !it->second.empty();
}

const std::set<product_id>& gate_aggregator::products(gate_reason r) const {
  static const std::set<product_id> none;
  auto it = by_reason_.find(r);
  return it == by_reason_.end() ? none : it->second;
}

// -- user stream ---------------------------------------------------------------

bool fill_tracker::filled_more(const order_update& u) {
  if (u.exchange_id.empty())
    return false;
  auto [it, inserted] = cumulative_.try_emplace(u.exchange_id, 0);
  bool grew = u.filled_size.units > it->second;
  it->second = std::max(it->second, u.filled_size.units);
  // Terminal orders cannot fill again: forget them to bound memory.
  if (u.state == order_state::filled || u.state == order_state::canceled || u.state == order_state::expired
      || u.state == order_state::rejected || u.state == order_state::failed)
    cumulative_.erase(it);
  return grew;
}

bool fill_tracker::first_time(const trade_id& t) {
  if (!seen_.insert(t).second)
    return false;
  order_.push_back(t);
  if (order_.size() > max_) {
    seen_.erase(order_.front());
    order_.pop_front();
  }
  return true;
}

} // namespace trader::feed
