#include "tools/simex/engine/market_stats.hpp"

#include <algorithm>

namespace trader::simex {

void market_stats::on_trade(const trade_print& t) {
  // A ring of the newest max_trades prints: an old slot is assigned over (its strings'
  // buffers reused) instead of a deque allocating and freeing blocks at both ends.
  if (tape_.size() < max_trades) {
    if (tape_.empty())
      tape_.reserve(max_trades);  // no reallocation while the ring fills
    tape_.push_back(t);
  } else {
    tape_[tape_head_] = t;
    tape_head_ = (tape_head_ + 1) % max_trades;
  }
  last_ = t.px;
  std::int64_t minute = t.time / ns_per_s / 60 * 60;
  // Prints come in time order: the minute the last print went to first (history seeded
  // ahead of the prints makes it other than the newest), the search only for another one.
  if (!hot_.it || (*hot_.it)->first != minute) {
    auto it = minutes_.find(minute);
    if (it == minutes_.end()) {
      hot_.it = minutes_.emplace(minute, candle{minute, t.px, t.px, t.px, t.px, t.qty}).first;
      trim();
      return;
    }
    hot_.it = it;
  }
  auto& c = (*hot_.it)->second;
  c.high = std::max(c.high, t.px);
  c.low = std::min(c.low, t.px);
  c.close = t.px;
  c.volume += t.qty;
}

void market_stats::put_minute(const candle& c) {
  minutes_[c.start / 60 * 60] = c;
  if (last_.is_zero() || minutes_.rbegin()->first == c.start / 60 * 60)
    last_ = minutes_.rbegin()->second.close;
  trim();
}

void market_stats::trim() {
  if (minutes_.size() <= max_minutes)
    return;
  hot_.it.reset();  // it may be among the erased
  while (minutes_.size() > max_minutes)
    minutes_.erase(minutes_.begin());
}

std::vector<const trade_print*> market_stats::trades(ts_ns start, ts_ns end, std::size_t limit) const {
  std::vector<const trade_print*> out;
  // Newest first: the slot before tape_head_ back round the ring (tape_head_ is 0 until full).
  const std::size_t n = tape_.size();
  for (std::size_t k = 0; k < n && out.size() < limit; ++k) {
    const auto& p = tape_[(tape_head_ + n - 1 - k) % n];
    if (p.time < start || (end != 0 && p.time >= end))
      continue;
    out.push_back(&p);
  }
  return out;
}

std::vector<candle> market_stats::candles(std::int64_t start_s, std::int64_t end_s, std::int64_t g,
                                          std::size_t limit) const {
  std::vector<candle> out;
  if (g <= 0)
    return out;
  auto first = minutes_.lower_bound(start_s / g * g);
  auto last = minutes_.lower_bound(end_s);
  std::map<std::int64_t, candle> buckets;
  for (auto it = first; it != last; ++it) {
    const auto& m = it->second;
    std::int64_t b = m.start / g * g;
    auto [bit, fresh] = buckets.try_emplace(b, candle{b, m.open, m.high, m.low, m.close, m.volume});
    if (fresh)
      continue;
    auto& c = bit->second;
    c.high = std::max(c.high, m.high);
    c.low = std::min(c.low, m.low);
    c.close = m.close;
    c.volume += m.volume;
  }
  for (auto it = buckets.rbegin(); it != buckets.rend() && out.size() < limit; ++it)
    if (it->first >= start_s / g * g)
      out.push_back(it->second);
  return out;
}

stats_24h market_stats::day(ts_ns now) const {
  stats_24h s;
  s.last = last_;
  std::int64_t from = now / ns_per_s - 86400;
  bool any = false;
  for (auto it = minutes_.lower_bound(from); it != minutes_.end(); ++it) {
    const auto& c = it->second;
    if (!any) {
      s.open = c.open;
      s.high = c.high;
      s.low = c.low;
      any = true;
    }
    s.high = std::max(s.high, c.high);
    s.low = std::min(s.low, c.low);
    s.volume += c.volume;
  }
  if (!any)
    s.open = s.high = s.low = last_;
  return s;
}

std::int64_t granularity_seconds(std::string_view name) {
  struct row { std::string_view n; std::int64_t s; };
  static constexpr row rows[] = {{"ONE_MINUTE", 60},     {"FIVE_MINUTE", 300},  {"FIFTEEN_MINUTE", 900},
                                 {"THIRTY_MINUTE", 1800}, {"ONE_HOUR", 3600},    {"TWO_HOUR", 7200},
                                 {"FOUR_HOUR", 14400},   {"SIX_HOUR", 21600},   {"ONE_DAY", 86400}};
  for (const auto& r : rows)
    if (r.n == name)
      return r.s;
  return 0;
}

} // namespace trader::simex
