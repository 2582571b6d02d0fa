#pragma once
// Market regime — bull, chop, bear, crash — from trend and volatility, with hysteresis: a
// regime is left only when its condition has clearly gone (a band past the entry
// threshold) and a new one is taken only after it held for K consecutive evaluations;
// crash is entered at once (it stops new longs) and left only after K. No CAF.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace trader::signals {

/// [regime] (not in any toml yet): thresholds over the closes of a reference series.
struct regime_params {
  std::int64_t trend_lookback = 24;      ///< Bars in the trend return; 2..1000.
  double bull_trend_pct = 3.0;           ///< Enter bull at trend return ≥ this, %; > 0.
  double bear_trend_pct = 3.0;           ///< Enter bear at trend return ≤ −this, %; > 0.
  double band_pct = 1.0;                 ///< Hysteresis: bull holds down to bull − band, bear up to −bear + band; ≥ 0.
  std::int64_t crash_lookback = 6;       ///< Bars in the crash return; 1..1000.
  double crash_drop_pct = 10.0;          ///< Crash at a return over crash_lookback ≤ −this, %; > 0.
  std::int64_t vol_lookback = 24;        ///< Log returns in the realized volatility; 2..1000.
  double crash_vol_pct = 4.0;            ///< Crash at per-bar realized volatility ≥ this, %, with a falling trend; > 0.
  std::int64_t confirm_evaluations = 3;  ///< K: evaluations a new regime must hold first; 1..100.
  bool operator==(const regime_params&) const = default;
};

/// The market regime.
enum class regime : std::uint8_t { bull, chop, bear, crash };
/// "bull", "chop", "bear", "crash".
std::string_view name(regime r);

/// Per-regime position-size multipliers (from policy; defaults conservative).
struct regime_multipliers {
  double bull = 1.0;   ///< Multiplier in bull; 0..2.
  double chop = 0.5;   ///< Multiplier in chop; 0..2.
  double bear = 0.25;  ///< Multiplier in bear; 0..2.
  double crash = 0.0;  ///< Multiplier in crash: no new longs; 0.
};
/// The multiplier of regime r.
double size_multiplier(regime r, const regime_multipliers& m);

/// The measures one evaluation reads (percent).
struct regime_reading {
  double trend_pct = 0;         ///< Return over trend_lookback.
  double crash_return_pct = 0;  ///< Return over crash_lookback.
  double vol_pct = 0;           ///< Per-bar realized volatility (sample sd of log returns) × 100.
};

/// The result of one evaluation.
struct regime_update {
  regime current = regime::chop;    ///< The regime after this evaluation.
  regime candidate = regime::chop;  ///< What this reading alone says (with the bands).
  std::int64_t streak = 0;          ///< Consecutive evaluations the pending candidate has held.
  bool changed = false;             ///< current changed at this evaluation.
  bool ready = true;                ///< False when too few closes: the regime is kept.
  std::string reason;               ///< "chop→bull: trend24_pct=3.40 ≥ 3.00 held 3/3".
};

/// One reference series' regime, evaluated once per bar (or cycle).
class regime_detector {
public:
  /// Starts in `initial` (chop: neither sized up nor stopped).
  explicit regime_detector(const regime_params& p = {}, regime initial = regime::chop);

  /// Reads the closes (oldest first) and steps the hysteresis. Too few closes: not ready.
  regime_update evaluate(std::span<const double> closes);
  /// Steps the hysteresis with a reading.
  regime_update update(const regime_reading& r);
  /// The reading of closes; false when there are fewer than needed().
  bool read(std::span<const double> closes, regime_reading& out) const;
  /// Closes evaluate() needs.
  std::size_t needed() const;
  /// The current regime.
  regime current() const { return current_; }

private:
  regime classify(const regime_reading& r, std::string& why) const;

  regime_params p_;
  regime current_;
  regime pending_;
  std::int64_t streak_ = 0;
};

} // namespace trader::signals
