#include "actors/trading/signals/indicators.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

namespace trader::signals {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

template <class Better>
std::vector<double> rolling_extreme(std::span<const double> x, std::size_t n, Better better) {
  std::vector<double> out;
  if (n == 0 || x.size() < n)
    return out;
  out.reserve(x.size() - n + 1);
  std::deque<std::size_t> idx;  // monotonic: x[idx] from best to worst
  for (std::size_t i = 0; i < x.size(); ++i) {
    while (!idx.empty() && !better(x[idx.back()], x[i]))
      idx.pop_back();
    idx.push_back(i);
    if (idx.front() + n <= i)
      idx.pop_front();
    if (i + 1 >= n)
      out.push_back(x[idx.front()]);
  }
  return out;
}

template <class F>
std::vector<double> map_bars(std::span<const bar> bars, F f) {
  std::vector<double> out;
  out.reserve(bars.size());
  for (const auto& b : bars)
    out.push_back(f(b));
  return out;
}

} // namespace

std::vector<double> sma(std::span<const double> x, std::size_t n) {
  std::vector<double> out;
  if (n == 0 || x.size() < n)
    return out;
  out.reserve(x.size() - n + 1);
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sum += x[i];
    if (i >= n)
      sum -= x[i - n];
    if (i + 1 >= n)
      out.push_back(sum / static_cast<double>(n));
  }
  return out;
}

std::vector<double> ema(std::span<const double> x, std::size_t n) {
  std::vector<double> out;
  if (n == 0 || x.size() < n)
    return out;
  out.reserve(x.size() - n + 1);
  const double k = 2.0 / (static_cast<double>(n) + 1.0);
  double e = 0;
  for (std::size_t i = 0; i < n; ++i)
    e += x[i];
  e /= static_cast<double>(n);
  out.push_back(e);
  for (std::size_t i = n; i < x.size(); ++i) {
    e = (x[i] - e) * k + e;
    out.push_back(e);
  }
  return out;
}

namespace {

/// RSI from Wilder's average gain and loss.
double rsi_value(double gain, double loss) {
  if (loss == 0)
    return 100.0;
  if (gain == 0)
    return 0.0;
  return 100.0 - 100.0 / (1.0 + gain / loss);
}

/// Wilder's average gain and loss over n, each pair in order to emit(g, l); false when x is
/// too short.
template <class Emit>
bool rsi_walk(std::span<const double> x, std::size_t n, Emit emit) {
  if (n == 0 || x.size() < n + 1)
    return false;
  const double dn = static_cast<double>(n);
  double g = 0, l = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    const double d = x[i] - x[i - 1];
    g += d > 0 ? d : 0;
    l += d < 0 ? -d : 0;
  }
  g /= dn;
  l /= dn;
  emit(g, l);
  for (std::size_t i = n + 1; i < x.size(); ++i) {
    const double d = x[i] - x[i - 1];
    g = (g * (dn - 1) + (d > 0 ? d : 0)) / dn;
    l = (l * (dn - 1) + (d < 0 ? -d : 0)) / dn;
    emit(g, l);
  }
  return true;
}

/// Wilder's ATR over n of len bars whose high, low and close the accessors give, each value
/// in order to emit(v); false when too short.
template <class High, class Low, class Close, class Emit>
bool atr_walk(std::size_t len, High high, Low low, Close close, std::size_t n, Emit emit) {
  if (n == 0 || len < n + 1)
    return false;
  auto tr = [&](std::size_t i) {
    const double h = high(i), l = low(i), c = close(i - 1);
    return std::max({h - l, std::fabs(h - c), std::fabs(l - c)});
  };
  const double dn = static_cast<double>(n);
  double a = 0;
  for (std::size_t i = 1; i <= n; ++i)
    a += tr(i);
  a /= dn;
  emit(a);
  for (std::size_t i = n + 1; i < len; ++i) {
    a = (tr(i) - a) * (1.0 / dn) + a;
    emit(a);
  }
  return true;
}

} // namespace

std::vector<double> rsi(std::span<const double> x, std::size_t n) {
  std::vector<double> out;
  if (x.size() > n)
    out.reserve(x.size() - n);
  rsi_walk(x, n, [&](double g, double l) { out.push_back(rsi_value(g, l)); });
  return out;
}

double rsi_last(std::span<const double> x, std::size_t n) {
  double g = 0, l = 0;
  return rsi_walk(x, n, [&](double gain, double loss) { g = gain, l = loss; }) ? rsi_value(g, l) : nan;
}

std::vector<double> atr(std::span<const double> high, std::span<const double> low, std::span<const double> close,
                        std::size_t n) {
  std::vector<double> out;
  const std::size_t len = std::min({high.size(), low.size(), close.size()});
  if (len > n)
    out.reserve(len - n);
  atr_walk(
    len, [&](std::size_t i) { return high[i]; }, [&](std::size_t i) { return low[i]; },
    [&](std::size_t i) { return close[i]; }, n, [&](double v) { out.push_back(v); });
  return out;
}

std::vector<double> roc(std::span<const double> x, std::size_t n) {
  std::vector<double> out;
  if (n == 0 || x.size() < n + 1)
    return out;
  out.reserve(x.size() - n);
  for (std::size_t i = n; i < x.size(); ++i)
    out.push_back((x[i] - x[i - n]) / x[i - n] * 100.0);
  return out;
}

std::vector<double> rolling_high(std::span<const double> x, std::size_t n) {
  return rolling_extreme(x, n, [](double kept, double next) { return kept > next; });
}

std::vector<double> rolling_low(std::span<const double> x, std::size_t n) {
  return rolling_extreme(x, n, [](double kept, double next) { return kept < next; });
}

std::vector<double> simple_returns(std::span<const double> x) {
  std::vector<double> out;
  for (std::size_t i = 1; i < x.size(); ++i)
    out.push_back(x[i] / x[i - 1] - 1.0);
  return out;
}

std::vector<double> log_returns(std::span<const double> x) {
  std::vector<double> out;
  for (std::size_t i = 1; i < x.size(); ++i)
    out.push_back(std::log(x[i] / x[i - 1]));
  return out;
}

double pearson(std::span<const double> a, std::span<const double> b) {
  const std::size_t n = a.size();
  if (n < 2 || b.size() != n)
    return nan;
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double cov = 0, va = 0, vb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  if (va == 0 || vb == 0)
    return nan;
  return cov / std::sqrt(va * vb);
}

double return_correlation(std::span<const double> a, std::span<const double> b, std::size_t n) {
  if (n < 2 || a.size() < n + 1 || b.size() < n + 1)
    return nan;
  auto ra = simple_returns(a.subspan(a.size() - n - 1));
  auto rb = simple_returns(b.subspan(b.size() - n - 1));
  return pearson(ra, rb);
}

double realized_volatility(std::span<const double> x, std::size_t n, double periods_per_year) {
  if (n < 2 || x.size() < n + 1)
    return nan;
  auto r = log_returns(x.subspan(x.size() - n - 1));
  double mean = 0;
  for (double v : r)
    mean += v;
  mean /= static_cast<double>(n);
  double ss = 0;
  for (double v : r)
    ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(n - 1)) * std::sqrt(periods_per_year);
}

std::vector<double> closes(std::span<const bar> bars) {
  return map_bars(bars, [](const bar& b) { return b.close.to_double(); });
}
std::vector<double> highs(std::span<const bar> bars) {
  return map_bars(bars, [](const bar& b) { return b.high.to_double(); });
}
std::vector<double> lows(std::span<const bar> bars) {
  return map_bars(bars, [](const bar& b) { return b.low.to_double(); });
}
std::vector<double> volumes(std::span<const bar> bars) {
  return map_bars(bars, [](const bar& b) { return b.volume.to_double(); });
}

std::vector<double> atr(std::span<const bar> bars, std::size_t n) {
  auto h = highs(bars), l = lows(bars), c = closes(bars);
  return atr(h, l, c, n);
}

double atr_last(std::span<const bar> bars, std::size_t n) {
  double last = nan;
  atr_walk(
    bars.size(), [&](std::size_t i) { return bars[i].high.to_double(); },
    [&](std::size_t i) { return bars[i].low.to_double(); }, [&](std::size_t i) { return bars[i].close.to_double(); },
    n, [&](double v) { last = v; });
  return last;
}

} // namespace trader::signals
