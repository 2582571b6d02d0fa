#include "actors/trading/signals/signal_engine.hpp"

#include "actors/trading/signals/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace trader::signals {

namespace {

store_options store_opts(const engine_params& p, granularity base, std::optional<granularity> higher) {
  store_options o;
  o.capacity = p.capacity;
  o.granularities = {granularity::five_minute, granularity::fifteen_minute, granularity::one_hour};
  if (base != granularity::one_minute)
    o.granularities.push_back(base);
  if (higher)
    o.granularities.push_back(*higher);
  return o;
}

trigger_id trigger_id_of(std::string_view n) {
  for (auto id : {trigger_id::breakout, trigger_id::momentum, trigger_id::volume_spike, trigger_id::rsi_reversion,
                  trigger_id::atr_breakout})
    if (name(id) == n)
      return id;
  return trigger_id::breakout;  // unreachable: every fired id is one of these names
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : "; ") + s;
  return out;
}

} // namespace

std::string volatility_block(std::span<const double> c, const volatility_filter_params& p) {
  const std::size_t w = std::max<std::size_t>(p.window, 2);
  if (c.size() < 2 * w + 1)
    return {};
  auto r = log_returns(c);
  // Rolling sample sd over w returns, O(n) with running sums.
  std::vector<double> vols;
  vols.reserve(r.size() - w + 1);
  double sum = 0, sq = 0;
  for (std::size_t i = 0; i < r.size(); ++i) {
    sum += r[i];
    sq += r[i] * r[i];
    if (i >= w) {
      sum -= r[i - w];
      sq -= r[i - w] * r[i - w];
    }
    if (i + 1 >= w) {
      const double n = static_cast<double>(w);
      vols.push_back(std::sqrt(std::max(0.0, (sq - sum * sum / n) / (n - 1))));
    }
  }
  const double now = vols.back();
  std::vector<double> sorted = vols;
  std::sort(sorted.begin(), sorted.end());
  const double q = std::clamp(p.percentile, 0.0, 100.0) / 100.0;
  const double limit = sorted[static_cast<std::size_t>(q * static_cast<double>(sorted.size() - 1))];
  if (now <= limit)
    return {};
  char buf[160];
  std::snprintf(buf, sizeof buf, "volatility: realized_vol%zu_pct=%.4f > p%.0f=%.4f over %zu values", w, now * 100,
                p.percentile, limit * 100, vols.size());
  return buf;
}

signal_engine::signal_engine(engine_params p)
  : p_(std::move(p)),
    base_(parse_granularity(p_.triggers.granularity).value_or(granularity::five_minute)),
    higher_(p_.triggers.trend_filter.enabled ? parse_granularity(p_.triggers.trend_filter.granularity)
                                             : std::nullopt),
    store_(store_opts(p_, base_, higher_)),
    detector_(p_.regime) {
  p_.freshness.min_bars = std::max(p_.freshness.min_bars, bars_needed(p_.triggers));
}

std::string signal_engine::reconfigure(engine_params p) {
  const auto base = parse_granularity(p.triggers.granularity);
  if (!base)
    return "triggers.granularity '" + p.triggers.granularity + "' is not a granularity";
  std::optional<granularity> higher;
  if (p.triggers.trend_filter.enabled) {
    higher = parse_granularity(p.triggers.trend_filter.granularity);
    if (!higher)
      return "triggers.trend_filter.granularity '" + p.triggers.trend_filter.granularity + "' is not a granularity";
  }
  if (p.capacity < 1)
    return "candles.capacity must be at least 1";
  p.freshness.min_bars = std::max(p.freshness.min_bars, bars_needed(p.triggers));
  const bool same_store = *base == base_ && higher == higher_ && p.capacity == p_.capacity;
  const bool same_regime = same_store && p.regime == p_.regime && p.regime_product == p_.regime_product;
  if (!same_store) {
    store_ = candle_store(store_opts(p, *base, higher));
    guarded_upto_.clear();
  }
  if (!same_store || !(p.bad_tick == p_.bad_tick))
    guards_.clear();  // new guards take the next closed bar as their reference
  if (!same_regime) {
    detector_ = regime_detector(p.regime);
    regime_bar_ = 0;
    regime_reason_.clear();
  }
  p_ = std::move(p);
  base_ = *base;
  higher_ = higher;
  memo_.clear();  // the answers of the old parameters
  step_regime();
  return {};
}

merge_result signal_engine::backfill(const product_id& p, granularity g, std::span<const candle> page, ts_ns now) {
  std::vector<candle> closed;
  closed.reserve(page.size());
  for (const auto& c : page) {
    if (bucket_end(c.start, g) <= now)
      closed.push_back(c);
    else
      ++counts_.future_candles;
  }
  return store_.backfill(p, g, closed);
}

std::size_t signal_engine::fill_quiet(const product_id& p, granularity g, ts_ns from, ts_ns to) {
  const auto* s = store_.series(p, g);
  if (!s)
    return 0;
  const ts_ns len = length_ns(g);
  const auto limit = builder_options{}.max_empty_fill;
  std::vector<candle> flat;
  for (const auto& gp : s->gaps()) {
    if (gp.from < from || gp.to > to || (gp.to - gp.from) / len > limit)
      continue;
    const auto before = s->find(gp.from - len);
    if (!before)
      continue;
    for (ts_ns t = gp.from; t < gp.to; t += len)
      flat.push_back(candle{p, static_cast<std::int32_t>(seconds(g)), t, before->close, before->close, before->close,
                            before->close, size{}, 0});
  }
  if (flat.empty())
    return 0;
  return store_.backfill(p, g, flat).added;
}

void signal_engine::advance(ts_ns now) {
  store_.advance(now);
  for (const auto& p : store_.products()) {
    const auto* s = store_.series(p, base_);
    if (!s || s->empty())
      continue;
    auto& upto = guarded_upto_[p.value];
    auto& guard = guards_.try_emplace(p.value, p_.bad_tick).first->second;
    // Only the bars after the last one guarded (the bars ascend: a search, not a walk).
    const auto all = s->bars();
    const auto from = std::upper_bound(all.begin(), all.end(), upto, [](ts_ns t, const bar& b) { return t < b.start; });
    if (from != all.end())
      memo_.erase(p.value);  // the guard learns new bars: an answer cached before them is stale
    for (const auto& b : std::span<const bar>{from, all.end()}) {
      auto d = guard.check_bar(b);
      if (d.verdict == tick_verdict::held) {
        ++counts_.bad_ticks_held;
        if (held_log_.size() < 1000)
          held_log_.emplace_back(p, d.reason);
      }
      upto = b.start;
    }
  }
  step_regime();
}

std::vector<candle_page> backfill_pages(const backfill_want& w, std::int32_t bars_per_page, std::size_t max_pages) {
  std::vector<candle_page> out;
  const ts_ns len = length_ns(w.gran);
  const std::int64_t n = std::max<std::int32_t>(1, bars_per_page);
  if (w.to <= w.from)
    return out;
  // Page k ends at the newest bucket still wanted and reaches n buckets back.
  for (ts_ns end = w.to - len; end >= w.from && out.size() < max_pages; end -= n * len) {
    const std::int64_t left = (end - w.from) / len + 1;  // buckets of the want from end back
    out.push_back({end / ns_per_s, static_cast<std::int32_t>(std::min(n, left))});
  }
  return out;
}

std::vector<backfill_want> signal_engine::wanted(const product_id& p, ts_ns now) const {
  std::vector<backfill_want> out;
  std::vector<granularity> read{base_};
  if (higher_)
    read.push_back(*higher_);
  for (auto g : read) {
    const ts_ns len = length_ns(g);
    const ts_ns ended = bucket_start(now, g);  // end of the newest bucket that has ended
    const ts_ns window = ended - static_cast<ts_ns>(p_.capacity) * len;
    const auto* s = store_.series(p, g);
    if (!s || s->empty()) {
      out.push_back({p, g, "empty", window, ended});
      continue;
    }
    auto st = s->status(now, freshness_policy{p_.freshness.max_stale_intervals, 1, true});
    if (st.block == series_block::stale)
      out.push_back({p, g, "stale", std::max(window, s->newest()->start + len), ended});
    for (const auto& gp : s->gaps())
      if (gp.to > window)
        out.push_back({p, g, "gap", std::max(window, gp.from), gp.to});
    const auto oldest = s->bars().front().start;
    if (s->size() < p_.freshness.min_bars && oldest > window)
      out.push_back({p, g, "short", window, oldest});
  }
  return out;
}

std::uint64_t signal_engine::held(const product_id& p) const {
  auto it = guards_.find(p.value);
  return it == guards_.end() ? 0 : it->second.counts().held;
}

std::vector<std::pair<product_id, std::string>> signal_engine::take_held() {
  return std::exchange(held_log_, {});
}

void signal_engine::step_regime() {
  const auto* s = store_.series(product_id{p_.regime_product}, base_);
  if (!s || s->empty() || s->newest()->start == regime_bar_)
    return;
  regime_bar_ = s->newest()->start;
  auto c = closes(s->last(detector_.needed()));
  auto u = detector_.evaluate(c);
  if (u.ready)
    regime_reason_ = u.reason;
}

product_signals signal_engine::evaluate_one(const product_id& p, ts_ns now) {
  ++counts_.evaluations;
  auto st = store_.status(p, base_, now, p_.freshness);
  if (st.blocked()) {
    product_signals out;
    out.product = p;
    out.blocked = true;
    out.block_reason = "series " + std::string(name(base_)) + " " + st.reason;
    return out;
  }
  const auto* s = store_.series(p, base_);
  const candle_series* hs = nullptr;
  if (higher_) {
    auto h = store_.status(p, *higher_, now, freshness_policy{p_.freshness.max_stale_intervals, 1,
                                                             p_.freshness.block_on_gap});
    if (h.blocked()) {
      product_signals out;
      out.product = p;
      out.bar_start = s->newest()->start;
      out.last_close = s->newest()->close;
      out.blocked = true;
      out.block_reason = "trend series " + std::string(name(*higher_)) + " " + h.reason;
      return out;
    }
    hs = store_.series(p, *higher_);
  }
  // What follows reads only the stored bars, the guard and the parameters: between two new
  // bars (a 5-minute base and a 1-minute cycle: four cycles in five) the answer is the last one.
  auto& m = memo_[p.value];
  const std::uint64_t higher_stamp = hs ? hs->stamp() : 0;
  if (m.base_stamp != s->stamp() || m.higher_stamp != higher_stamp) {
    m.result = evaluate_bars(p, s->bars(), hs ? hs->bars() : std::span<const bar>{});
    m.base_stamp = s->stamp();
    m.higher_stamp = higher_stamp;
  }
  return m.result;
}

product_signals signal_engine::evaluate_bars(const product_id& p, std::span<const bar> bars,
                                             std::span<const bar> higher) const {
  product_signals out;
  out.product = p;
  out.bar_start = bars.back().start;
  out.last_close = bars.back().close;
  const auto window = bars.last(std::min<std::size_t>(bars.size(), std::max<std::size_t>(200, bars.size() / 2)));
  auto it = guards_.find(p.value);
  auto report = evaluate_triggers(window, higher, p_.triggers, it == guards_.end() ? nullptr : &it->second);
  const auto n = p_.indicator_period;
  const auto all_closes = closes(bars);
  if (window.size() > n) {
    out.atr = price::from_double(atr_last(window, n));
    out.rsi = rsi_last(std::span<const double>{all_closes}.last(window.size()), n);  // the window's closes
  }
  const auto keep = std::min(all_closes.size(), p_.closes_kept);
  out.closes.assign(all_closes.end() - static_cast<std::ptrdiff_t>(keep), all_closes.end());
  out.blocked = report.blocked;
  if (report.blocked)
    out.block_reason = join(report.notes);
  if (!out.blocked && p_.volatility.enabled) {
    auto why = volatility_block(all_closes, p_.volatility);
    if (!why.empty()) {
      out.blocked = true;
      out.block_reason = why;
      return out;
    }
  }
  for (auto& f : report.fired)
    out.fired.push_back({std::string(name(f.id)), f.strength, f.confidence, f.value, f.threshold, f.detail});
  return out;
}

signal_batch signal_engine::evaluate(const universe_snapshot& u, ts_ns now) {
  signal_batch b;
  b.cycle = u.cycle;
  b.tick_ts = u.tick_ts;
  b.ts = now;
  b.granularity_s = static_cast<std::int32_t>(seconds(base_));
  b.regime = std::string(name(detector_.current()));
  b.size_multiplier = size_multiplier(detector_.current(), p_.multipliers);
  std::vector<product_signal> all;
  for (const auto& e : u.entries) {
    if (!e.eligible) {
      b.excluded.push_back(e);
      continue;
    }
    auto ps = evaluate_one(e.product, now);
    if (ps.blocked) {
      ++counts_.blocked;
    } else {
      for (const auto& f : ps.fired) {
        trigger_signal t;
        t.strength = f.strength;
        t.detail = f.detail;
        t.id = trigger_id_of(f.id);
        all.push_back({ps.product, t});
      }
    }
    b.products.push_back(std::move(ps));
  }
  // The cycle's cap: only the strongest max_triggers_per_cycle signals go on.
  keep_strongest(all, static_cast<std::size_t>(std::max<std::int64_t>(1, p_.triggers.max_triggers_per_cycle)));
  for (auto& ps : b.products) {
    std::erase_if(ps.fired, [&](const fired_trigger& f) {
      return std::none_of(all.begin(), all.end(), [&](const product_signal& k) {
        return k.product == ps.product && name(k.signal.id) == f.id;
      });
    });
    std::sort(ps.fired.begin(), ps.fired.end(),
              [](const fired_trigger& a, const fired_trigger& b) { return a.strength > b.strength; });
    counts_.fired += ps.fired.size();
  }
  return b;
}

} // namespace trader::signals
