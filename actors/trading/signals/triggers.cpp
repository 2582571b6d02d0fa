#include "actors/trading/signals/triggers.hpp"

#include "actors/trading/signals/indicators.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <optional>

namespace trader::signals {

namespace {

std::string fmt(const char* f, double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string num(double v) { return fmt("%.10g", v); }
std::string pct(double v) { return fmt("%.2f", v); }

std::size_t as_size(std::int64_t v) { return v < 1 ? 1 : static_cast<std::size_t>(v); }

trigger_signal make(trigger_id id, double value, double threshold, ts_ns start, std::string detail) {
  trigger_signal s;
  s.id = id;
  s.value = value;
  s.threshold = threshold;
  s.strength = threshold > 0 ? value / threshold : 0;
  s.confidence = s.strength > 0 ? 1.0 - 0.5 / s.strength : 0;
  s.bar_start = start;
  s.detail = std::move(detail);
  return s;
}

double mean_volume(std::span<const bar> bars) {
  double sum = 0;
  for (const auto& b : bars)
    sum += b.volume.to_double();
  return bars.empty() ? 0 : sum / static_cast<double>(bars.size());
}

// The lookback window before the newest bar, or nullopt (with a note) when too short.
std::optional<std::span<const bar>> window(std::span<const bar> bars, std::size_t n, std::string_view trigger,
                                           trigger_report& r) {
  if (bars.size() < n + 1) {
    r.notes.push_back(std::string(trigger) + ": warming_up " + std::to_string(bars.size()) + " of " +
                      std::to_string(n + 1) + " bars");
    return std::nullopt;
  }
  return bars.subspan(bars.size() - n - 1, n);
}

void breakout(std::span<const bar> bars, const breakout_params& p, trigger_report& r) {
  auto w = window(bars, as_size(p.lookback_candles), "breakout", r);
  if (!w)
    return;
  const bar& last = bars.back();
  double high = 0;
  for (const auto& b : *w)
    high = std::max(high, b.high.to_double());
  const double close = last.close.to_double();
  const double clear = (close / high - 1.0) * 100.0;
  const double avg = mean_volume(*w);
  const double vol_ratio = avg > 0 ? last.volume.to_double() / avg : 0;
  if (clear >= p.threshold_pct && vol_ratio >= p.min_volume_ratio)
    r.fired.push_back(make(trigger_id::breakout, clear, p.threshold_pct, last.start,
                           "breakout: close=" + num(close) + " high" + std::to_string(w->size()) + "=" + num(high) +
                             " clear_pct=" + pct(clear) + " volume_ratio=" + pct(vol_ratio)));
}

void momentum(std::span<const bar> bars, const momentum_params& p, trigger_report& r) {
  const std::size_t n = as_size(p.lookback_candles);
  if (!window(bars, n, "momentum", r))
    return;
  const double now = bars.back().close.to_double();
  const double then = bars[bars.size() - 1 - n].close.to_double();
  const double roc_pct = (now - then) / then * 100.0;
  if (roc_pct >= p.threshold_pct)
    r.fired.push_back(make(trigger_id::momentum, roc_pct, p.threshold_pct, bars.back().start,
                           "momentum: roc" + std::to_string(n) + "_pct=" + pct(roc_pct)));
}

void volume_spike(std::span<const bar> bars, const volume_spike_params& p, trigger_report& r) {
  auto w = window(bars, as_size(p.lookback_candles), "volume_spike", r);
  if (!w)
    return;
  const bar& last = bars.back();
  const double avg = mean_volume(*w);
  const double ratio = avg > 0 ? last.volume.to_double() / avg : 0;
  // Long-only: a spike on a falling bar is selling, not an entry.
  if (ratio >= p.min_ratio && last.close > last.open)
    r.fired.push_back(make(trigger_id::volume_spike, ratio, p.min_ratio, last.start,
                           "volume_spike: volume_ratio=" + pct(ratio)));
}

void rsi_reversion(std::span<const bar> bars, const rsi_reversion_params& p, trigger_report& r) {
  const std::size_t n = as_size(p.period);
  if (!window(bars, n, "rsi_reversion", r))
    return;
  const double v = rsi_last(closes(bars), n);
  // strength 1 at the oversold line, 2 at RSI 0.
  if (v <= p.oversold) {
    auto s = make(trigger_id::rsi_reversion, 2.0 * p.oversold - v, p.oversold, bars.back().start,
                  "rsi_reversion: rsi" + std::to_string(n) + "=" + pct(v) + " oversold=" + pct(p.oversold));
    s.value = v;
    r.fired.push_back(std::move(s));
  }
}

void atr_breakout(std::span<const bar> bars, const atr_breakout_params& p, trigger_report& r) {
  const std::size_t n = as_size(p.period);
  if (bars.size() < n + 2) {
    r.notes.push_back("atr_breakout: warming_up " + std::to_string(bars.size()) + " of " + std::to_string(n + 2) +
                      " bars");
    return;
  }
  // The ATR of the bars before the newest, so the move is not measured against itself.
  const double a = atr_last(bars.first(bars.size() - 1), n);
  const double move = bars.back().close.to_double() - bars[bars.size() - 2].close.to_double();
  const double in_atrs = a > 0 ? move / a : 0;
  if (in_atrs >= p.atr_multiple)
    r.fired.push_back(make(trigger_id::atr_breakout, in_atrs, p.atr_multiple, bars.back().start,
                           "atr_breakout: move=" + num(move) + " atr" + std::to_string(n) + "=" + num(a) +
                             " atrs=" + pct(in_atrs)));
}

// Whether the higher timeframe is up: EMA fast > EMA slow and close > EMA slow.
bool trend_up(std::span<const bar> higher, const trend_filter_params& p, trigger_report& r) {
  const std::size_t slow = as_size(p.slow_period), fast = as_size(p.fast_period);
  if (higher.size() < slow) {
    r.notes.push_back("trend_filter: warming_up " + std::to_string(higher.size()) + " of " + std::to_string(slow) +
                      " " + p.granularity + " bars");
    return false;
  }
  const auto c = closes(higher);
  const double ef = ema(c, fast).back(), es = ema(c, slow).back();
  const bool up = ef > es && c.back() > es;
  if (!up)
    r.notes.push_back("trend_filter: " + p.granularity + " not up (close=" + num(c.back()) + " ema" +
                      std::to_string(fast) + "=" + num(ef) + " ema" + std::to_string(slow) + "=" + num(es) + ")");
  return up;
}

} // namespace

std::string_view name(trigger_id id) {
  static constexpr std::array<std::string_view, 5> names{"breakout", "momentum", "volume_spike", "rsi_reversion",
                                                         "atr_breakout"};
  return names[static_cast<std::size_t>(id)];
}

std::size_t bars_needed(const triggers_params& p) {
  std::size_t n = 2;
  if (p.breakout.enabled)
    n = std::max(n, as_size(p.breakout.lookback_candles) + 1);
  if (p.momentum.enabled)
    n = std::max(n, as_size(p.momentum.lookback_candles) + 1);
  if (p.volume_spike.enabled)
    n = std::max(n, as_size(p.volume_spike.lookback_candles) + 1);
  if (p.rsi_reversion.enabled)
    n = std::max(n, as_size(p.rsi_reversion.period) + 1);
  if (p.atr_breakout.enabled)
    n = std::max(n, as_size(p.atr_breakout.period) + 2);
  return n;
}

trigger_report evaluate_triggers(std::span<const bar> bars, std::span<const bar> higher, const triggers_params& p,
                                 const bad_tick_guard* guard) {
  trigger_report r;
  if (bars.empty()) {
    r.blocked = true;
    r.notes.emplace_back("no_bars");
    return r;
  }
  const std::size_t need = bars_needed(p);
  if (guard && !guard->clean(bars.last(std::min(need, bars.size())))) {
    r.blocked = true;
    r.notes.emplace_back("bad_tick: a held bar is inside the lookback");
    return r;
  }
  if (p.breakout.enabled)
    breakout(bars, p.breakout, r);
  if (p.momentum.enabled)
    momentum(bars, p.momentum, r);
  if (p.volume_spike.enabled)
    volume_spike(bars, p.volume_spike, r);
  if (p.rsi_reversion.enabled)
    rsi_reversion(bars, p.rsi_reversion, r);
  if (p.atr_breakout.enabled)
    atr_breakout(bars, p.atr_breakout, r);
  if (p.trend_filter.enabled && !r.fired.empty() && !trend_up(higher, p.trend_filter, r))
    r.blocked = true;
  return r;
}

void keep_strongest(std::vector<product_signal>& signals, std::size_t max) {
  std::sort(signals.begin(), signals.end(), [](const product_signal& a, const product_signal& b) {
    if (a.signal.strength != b.signal.strength)
      return a.signal.strength > b.signal.strength;
    if (a.product != b.product)
      return a.product < b.product;
    return a.signal.id < b.signal.id;
  });
  if (signals.size() > max)
    signals.resize(max);
}

} // namespace trader::signals
