#include "actors/trading/signals/candle_store.hpp"

#include <algorithm>
#include <cmath>

namespace trader::signals {

struct candle_store::product_bars {
  /// One granularity: its builder and its closed bars.
  struct level {
    bar_builder builder;
    candle_series closed;
  };
  std::vector<level> levels;  ///< levels[0] is ONE_MINUTE; the rest as configured.

  level* at(granularity g) {
    for (auto& l : levels)
      if (l.closed.gran() == g)
        return &l;
    return nullptr;
  }
  const level* at(granularity g) const { return const_cast<product_bars*>(this)->at(g); }
};

candle_store::candle_store(store_options o) : opt_(std::move(o)) {
  auto& gs = opt_.granularities;
  gs.erase(std::remove(gs.begin(), gs.end(), granularity::one_minute), gs.end());
  std::sort(gs.begin(), gs.end());
  gs.erase(std::unique(gs.begin(), gs.end()), gs.end());
}

candle_store::~candle_store() = default;
candle_store::candle_store(candle_store&&) noexcept = default;
candle_store& candle_store::operator=(candle_store&&) noexcept = default;

candle_store::product_bars& candle_store::entry(const product_id& p) {
  auto& slot = products_[p.value];
  if (!slot) {
    slot = std::make_unique<product_bars>();
    slot->levels.reserve(opt_.granularities.size() + 1);
    slot->levels.push_back({bar_builder{granularity::one_minute, opt_.build},
                            candle_series{granularity::one_minute, opt_.capacity}});
    for (auto g : opt_.granularities)
      slot->levels.push_back({bar_builder{g, opt_.build}, candle_series{g, opt_.capacity}});
  }
  return *slot;
}

const candle_store::product_bars* candle_store::find(const product_id& p) const {
  auto it = products_.find(p.value);
  return it == products_.end() ? nullptr : it->second.get();
}

void candle_store::start(const product_id& p, ts_ns now) {
  for (auto& l : entry(p).levels)
    l.builder.reset(now);
}

std::optional<drop_reason> candle_store::on_trade(const product_id& p, price px, size qty, ts_ns t) {
  auto& e = entry(p);
  return e.levels[0].builder.add_trade(px, qty, t);
}

append_result candle_store::on_bar(const product_id& p, const bar& b) {
  auto& levels = entry(p).levels;
  auto r = levels[0].closed.append(b);
  if (r.stored)
    for (std::size_t i = 1; i < levels.size(); ++i)
      levels[i].builder.add_bar(b, granularity::one_minute);
  return r;
}

std::size_t candle_store::advance(ts_ns now) {
  std::size_t stored = 0;
  for (auto& [name, e] : products_) {
    auto& levels = e->levels;
    scratch_.clear();
    levels[0].builder.close_until(now, scratch_);
    for (const auto& b : scratch_) {
      if (levels[0].closed.append(b).stored)
        ++stored;
      for (std::size_t i = 1; i < levels.size(); ++i)
        levels[i].builder.add_bar(b, granularity::one_minute);
    }
    for (std::size_t i = 1; i < levels.size(); ++i) {
      scratch2_.clear();
      levels[i].builder.close_until(now, scratch2_);
      for (const auto& b : scratch2_)
        if (levels[i].closed.append(b).stored)
          ++stored;
    }
  }
  return stored;
}

merge_result candle_store::backfill(const product_id& p, granularity g, std::span<const candle> page) {
  auto& e = entry(p);
  auto* l = e.at(g);
  if (!l) {
    e.levels.push_back({bar_builder{g, opt_.build}, candle_series{g, opt_.capacity}});
    l = &e.levels.back();
  }
  scratch_.clear();
  for (const auto& c : page)
    scratch_.push_back(to_bar(c));
  return l->closed.merge(scratch_);
}

const candle_series* candle_store::series(const product_id& p, granularity g) const {
  const auto* e = find(p);
  const auto* l = e ? e->at(g) : nullptr;
  return l ? &l->closed : nullptr;
}

std::optional<bar> candle_store::forming_bar(const product_id& p, granularity g) const {
  const auto* e = find(p);
  const auto* l = e ? e->at(g) : nullptr;
  return l ? l->builder.forming() : std::nullopt;
}

candle_check candle_store::cross_check(const candle& c) const {
  candle_check out;
  const auto g = granularity_from_seconds(c.granularity_s);
  const auto* s = g ? series(c.product, *g) : nullptr;
  const auto ours = s ? s->find(c.start) : std::nullopt;
  if (!ours)
    return out;
  auto diff = [](double a, double b) { return b == 0 ? (a == 0 ? 0.0 : 100.0) : std::fabs(a - b) / b * 100.0; };
  out.compared = true;
  out.close_diff_pct = diff(ours->close.to_double(), c.close.to_double());
  out.range_diff_pct = std::max(diff(ours->high.to_double(), c.high.to_double()),
                                diff(ours->low.to_double(), c.low.to_double()));
  out.volume_diff_pct = diff(ours->volume.to_double(), c.volume.to_double());
  return out;
}

series_status candle_store::status(const product_id& p, granularity g, ts_ns now, const freshness_policy& f) const {
  const auto* s = series(p, g);
  if (!s)
    return {series_block::no_bars, "no_bars: no series for " + p.value + " " + std::string(name(g))};
  return s->status(now, f);
}

drop_counts candle_store::drops(const product_id& p) const {
  drop_counts sum;
  if (const auto* e = find(p)) {
    for (const auto& l : e->levels) {
      for (std::size_t i = 0; i < drop_reason_count; ++i)
        sum.by_reason[i] += l.builder.drops().by_reason[i] + l.closed.drops().by_reason[i];
    }
  }
  return sum;
}

std::vector<product_id> candle_store::products() const {
  std::vector<product_id> out;
  out.reserve(products_.size());
  for (const auto& [name, e] : products_)
    out.push_back(product_id{name});
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace trader::signals
