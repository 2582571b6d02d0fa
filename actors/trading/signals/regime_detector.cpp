#include "actors/trading/signals/regime_detector.hpp"

#include "actors/trading/signals/indicators.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace trader::signals {

namespace {

std::string pct(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::size_t at_least_1(std::int64_t v) { return v < 1 ? 1 : static_cast<std::size_t>(v); }

} // namespace

std::string_view name(regime r) {
  static constexpr std::array<std::string_view, 4> names{"bull", "chop", "bear", "crash"};
  return names[static_cast<std::size_t>(r)];
}

double size_multiplier(regime r, const regime_multipliers& m) {
  switch (r) {
    case regime::bull:
      return m.bull;
    case regime::chop:
      return m.chop;
    case regime::bear:
      return m.bear;
    case regime::crash:
      return m.crash;
  }
  return 0.0;  // unreachable: every regime is listed
}

regime_detector::regime_detector(const regime_params& p, regime initial) : p_(p), current_(initial), pending_(initial) {}

std::size_t regime_detector::needed() const {
  return std::max({at_least_1(p_.trend_lookback), at_least_1(p_.crash_lookback), at_least_1(p_.vol_lookback)}) + 1;
}

bool regime_detector::read(std::span<const double> c, regime_reading& out) const {
  if (c.size() < needed())
    return false;
  const double now = c.back();
  const double then = c[c.size() - 1 - at_least_1(p_.trend_lookback)];
  const double crash_then = c[c.size() - 1 - at_least_1(p_.crash_lookback)];
  out.trend_pct = (now / then - 1.0) * 100.0;
  out.crash_return_pct = (now / crash_then - 1.0) * 100.0;
  const double v = realized_volatility(c, std::max<std::size_t>(at_least_1(p_.vol_lookback), 2));
  out.vol_pct = std::isnan(v) ? 0.0 : v * 100.0;
  return true;
}

regime regime_detector::classify(const regime_reading& r, std::string& why) const {
  const std::string trend = "trend" + std::to_string(p_.trend_lookback) + "_pct=" + pct(r.trend_pct);
  if (r.crash_return_pct <= -p_.crash_drop_pct) {
    why = "return" + std::to_string(p_.crash_lookback) + "_pct=" + pct(r.crash_return_pct) +
          " <= -" + pct(p_.crash_drop_pct);
    return regime::crash;
  }
  if (r.vol_pct >= p_.crash_vol_pct && r.trend_pct < 0) {
    why = "vol_pct=" + pct(r.vol_pct) + " >= " + pct(p_.crash_vol_pct) + " with " + trend;
    return regime::crash;
  }
  // Bands: a regime holds while its condition has not clearly gone.
  if (current_ == regime::bull && r.trend_pct >= p_.bull_trend_pct - p_.band_pct) {
    why = trend + " >= " + pct(p_.bull_trend_pct - p_.band_pct) + " (band)";
    return regime::bull;
  }
  if (current_ == regime::bear && r.trend_pct <= -p_.bear_trend_pct + p_.band_pct) {
    why = trend + " <= " + pct(-p_.bear_trend_pct + p_.band_pct) + " (band)";
    return regime::bear;
  }
  if (r.trend_pct >= p_.bull_trend_pct) {
    why = trend + " >= " + pct(p_.bull_trend_pct);
    return regime::bull;
  }
  if (r.trend_pct <= -p_.bear_trend_pct) {
    why = trend + " <= -" + pct(p_.bear_trend_pct);
    return regime::bear;
  }
  why = trend + " inside the trend thresholds";
  return regime::chop;
}

regime_update regime_detector::update(const regime_reading& r) {
  regime_update u;
  std::string why;
  u.candidate = classify(r, why);
  const std::int64_t k = std::max<std::int64_t>(p_.confirm_evaluations, 1);
  if (u.candidate == current_) {
    pending_ = current_;
    streak_ = 0;
    u.reason = std::string(name(current_)) + ": " + why;
  } else {
    streak_ = u.candidate == pending_ ? streak_ + 1 : 1;
    pending_ = u.candidate;
    const std::int64_t need = u.candidate == regime::crash ? 1 : k;  // crash acts at once
    const std::string from = std::string(name(current_)), to = std::string(name(u.candidate));
    if (streak_ >= need) {
      u.changed = true;
      u.reason = from + "→" + to + ": " + why + " held " + std::to_string(streak_) + "/" + std::to_string(need);
      current_ = u.candidate;
      streak_ = 0;
    } else {
      u.reason = from + " (→" + to + " pending " + std::to_string(streak_) + "/" + std::to_string(need) + "): " + why;
    }
  }
  u.current = current_;
  u.streak = streak_;
  return u;
}

regime_update regime_detector::evaluate(std::span<const double> closes) {
  regime_reading r;
  if (!read(closes, r)) {
    regime_update u;
    u.current = u.candidate = current_;
    u.ready = false;
    u.reason = std::string(name(current_)) + ": warming_up " + std::to_string(closes.size()) + " of " +
               std::to_string(needed()) + " closes";
    return u;
  }
  return update(r);
}

} // namespace trader::signals
