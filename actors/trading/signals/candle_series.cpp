#include "actors/trading/signals/candle_series.hpp"

#include <algorithm>
#include <array>
#include <atomic>

namespace trader::signals {

namespace {

bool earlier(const bar& a, const bar& b) { return a.start < b.start; }

/// The next series stamp: process-wide, so no two states of any series share one.
std::uint64_t next_stamp() {
  static std::atomic<std::uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

} // namespace

std::string_view name(series_block b) {
  static constexpr std::array<std::string_view, 5> names{"none", "no_bars", "warming_up", "stale", "gap"};
  return names[static_cast<std::size_t>(b)];
}

candle_series::candle_series(granularity g, std::size_t capacity)
  : gran_(g), capacity_(std::max<std::size_t>(capacity, 1)), stamp_(next_stamp()) {
  buf_.resize(capacity_ + std::max<std::size_t>(capacity_ / 4, 1));
}

std::span<const bar> candle_series::last(std::size_t n) const {
  auto all = bars();
  return n >= all.size() ? all : all.subspan(all.size() - n);
}

std::optional<bar> candle_series::newest() const {
  if (empty())
    return std::nullopt;
  return buf_[end_ - 1];
}

std::optional<bar> candle_series::find(ts_ns start) const {
  auto all = bars();
  auto it = std::lower_bound(all.begin(), all.end(), start, [](const bar& b, ts_ns t) { return b.start < t; });
  if (it == all.end() || it->start != start)
    return std::nullopt;
  return *it;
}

void candle_series::push(const bar& b) {
  if (size() == capacity_) {
    // The oldest bar leaves; a gap right after it leaves with it.
    if (size() > 1 && buf_[begin_ + 1].start - buf_[begin_].start > length_ns(gran_))
      --gap_count_;
    ++begin_;
  }
  if (end_ == buf_.size()) {
    std::copy(buf_.begin() + static_cast<std::ptrdiff_t>(begin_), buf_.begin() + static_cast<std::ptrdiff_t>(end_),
              buf_.begin());
    end_ -= begin_;
    begin_ = 0;
  }
  buf_[end_++] = b;
  stamp_ = next_stamp();
}

append_result candle_series::append(const bar& b) {
  append_result r;
  auto bad = check_bar(b, gran_);
  if (!bad && !empty()) {
    const ts_ns newest_start = buf_[end_ - 1].start;
    if (b.start <= newest_start)
      bad = find(b.start) ? drop_reason::duplicate_bucket : drop_reason::out_of_order_bucket;
    else
      r.missing_before = (b.start - newest_start) / length_ns(gran_) - 1;
  }
  if (bad) {
    drops_.add(*bad);
    r.dropped = bad;
    return r;
  }
  if (r.missing_before > 0)
    ++gap_count_;
  push(b);
  r.stored = true;
  return r;
}

merge_result candle_series::merge(std::span<const bar> page) {
  merge_result r;
  std::vector<bar> incoming;
  incoming.reserve(page.size());
  for (const auto& b : page) {
    if (auto bad = check_bar(b, gran_)) {
      drops_.add(*bad);
      ++r.dropped;
    } else {
      incoming.push_back(b);
    }
  }
  std::stable_sort(incoming.begin(), incoming.end(), earlier);
  auto stored = bars();
  std::vector<bar> merged;
  merged.reserve(stored.size() + incoming.size());
  auto s = stored.begin();
  for (const auto& b : incoming) {
    while (s != stored.end() && s->start < b.start)
      merged.push_back(*s++);
    if ((s != stored.end() && s->start == b.start) || (!merged.empty() && merged.back().start == b.start)) {
      ++r.duplicates;
      continue;
    }
    merged.push_back(b);
    ++r.added;
  }
  merged.insert(merged.end(), s, stored.end());
  if (merged.size() > capacity_) {
    // Bars that fall off the old end: page bars there were never really stored.
    const std::size_t cut = merged.size() - capacity_;
    const ts_ns oldest_kept = merged[cut].start;
    for (const auto& b : incoming)
      if (b.start < oldest_kept && !find(b.start))
        ++r.too_old;
    r.too_old = std::min(r.too_old, r.added);
    r.added -= r.too_old;
    merged.erase(merged.begin(), merged.begin() + static_cast<std::ptrdiff_t>(cut));
  }
  std::copy(merged.begin(), merged.end(), buf_.begin());
  begin_ = 0;
  end_ = merged.size();
  gap_count_ = count_gaps();
  stamp_ = next_stamp();
  r.gaps = gap_count_;
  return r;
}

std::size_t candle_series::count_gaps() const {
  std::size_t n = 0;
  auto all = bars();
  for (std::size_t i = 1; i < all.size(); ++i)
    if (all[i].start - all[i - 1].start > length_ns(gran_))
      ++n;
  return n;
}

std::vector<gap> candle_series::gaps() const {
  std::vector<gap> out;
  auto all = bars();
  for (std::size_t i = 1; i < all.size(); ++i)
    if (all[i].start - all[i - 1].start > length_ns(gran_))
      out.push_back(gap{all[i - 1].start + length_ns(gran_), all[i].start});
  return out;
}

series_status candle_series::status(ts_ns now, const freshness_policy& p) const {
  if (empty())
    return {series_block::no_bars, "no_bars: no closed bar yet"};
  const ts_ns len = length_ns(gran_);
  // The newest bucket that has ended at `now`; a fresh series has it.
  const ts_ns expected = bucket_start(now, gran_) - len;
  const std::int64_t behind = (expected - buf_[end_ - 1].start) / len;
  if (behind > p.max_stale_intervals)
    return {series_block::stale, "stale: newest closed bar " + std::to_string(behind) + " intervals behind (limit " +
                                   std::to_string(p.max_stale_intervals) + ")"};
  if (p.block_on_gap && gap_count_ > 0)
    return {series_block::gap, "gap: " + std::to_string(gap_count_) + " gap(s) in the series, backfill pending"};
  if (size() < p.min_bars)
    return {series_block::warming_up,
            "warming_up: " + std::to_string(size()) + " of " + std::to_string(p.min_bars) + " bars"};
  return {};
}

double candle_series::bytes_per_bar() const {
  return static_cast<double>(buf_.size() * sizeof(bar)) / static_cast<double>(capacity_);
}

} // namespace trader::signals
