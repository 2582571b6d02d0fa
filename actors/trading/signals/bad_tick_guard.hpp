#pragma once
// The bad-tick guard: a price that jumps more than max_jump_pct from the recent reference is
// held, counted and never passed on, until it is confirmed by consecutive agreeing ticks,
// for a bar by heavy volume, or by a sustained move (reanchor_after_holds consecutive holds on
// the same side). Confirmed moves pass and become the new reference. No CAF.

#include "actors/trading/signals/bar.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>

namespace trader::signals {

/// [bad_tick] of signals.toml, plus fields with defaults not in the file yet.
struct bad_tick_params {
  double max_jump_pct = 15.0;        ///< A price this far from the reference is suspect, %; 0 < x <= 100.
  std::int64_t confirm_ticks = 2;    ///< Agreeing ticks after a suspect one that confirm it; 1..100.
  double agree_pct = 1.0;            ///< (not in toml) ticks within this % of the suspect price agree; 0 < x <= 100.
  double confirm_volume_ratio = 3.0; ///< (not in toml) a bar whose volume is ≥ this × the reference volume confirms at once; 0 = never.
  std::size_t volume_lookback = 20;  ///< (not in toml) accepted bars in the reference (mean) volume; 1..1000.
  /// After this many consecutive holds on the same side of the reference (a sustained move
  /// whose prices do not agree with each other, e.g. a crash falling bar after bar), the next
  /// price on that side re-anchors the reference and passes; 0 = never; 0..1000.
  std::int64_t reanchor_after_holds = 5;
  bool operator==(const bad_tick_params&) const = default;
};

/// What the guard did with a tick or bar.
enum class tick_verdict : std::uint8_t {
  pass,       ///< Within max_jump_pct of the reference (or the first price seen).
  held,       ///< Suspect: not passed on; counted.
  confirmed,  ///< A suspect move confirmed: passed; the reference moves to it.
};
/// Stable name of v ("held").
std::string_view name(tick_verdict v);

/// The guard's decision, with a reason for the audit log.
struct tick_decision {
  tick_verdict verdict = tick_verdict::pass;  ///< pass / held / confirmed.
  double reference = 0;                       ///< The reference price compared against (0 when none).
  double jump_pct = 0;                        ///< Largest distance from the reference, %.
  std::string reason;  ///< "BAD_TICK: px=52000 ref=40000 jump_pct=30.00 limit_pct=15.00 agreeing=0/2".
  bool passes() const { return verdict != tick_verdict::held; }  ///< May be evaluated.
};

/// Counts since start.
struct bad_tick_counts {
  std::uint64_t passed = 0;     ///< Ticks and bars passed without suspicion.
  std::uint64_t held = 0;       ///< Ticks and bars held (the bad-tick metric).
  std::uint64_t confirmed = 0;  ///< Suspect moves later confirmed.
};

/// One product's guard for one stream: its quotes or trades, or its bars (one guard each).
class bad_tick_guard {
public:
  /// A guard with no reference yet: the first price passes and becomes the reference.
  explicit bad_tick_guard(const bad_tick_params& p = {});

  /// A quote or trade price (no volume to confirm with).
  tick_decision check_price(double px);
  /// A closed bar: its high, low and close are compared with the reference; a suspect bar
  /// is confirmed at once by volume ≥ confirm_volume_ratio × the mean volume of the last
  /// volume_lookback accepted bars, else like a tick (by its close, or by the wick when only
  /// the wick jumps). Held bars are remembered (see clean()) unless a later confirmation
  /// shows they were the start of a real move.
  tick_decision check_bar(const bar& b);
  /// False when any bar of `window` was held: a trigger must not read a window that holds
  /// a bad tick (its high, low or return would carry it).
  bool clean(std::span<const bar> window) const;

  /// The reference price; nullopt before the first price.
  std::optional<double> reference() const { return ref_; }
  /// Counts since start.
  const bad_tick_counts& counts() const { return counts_; }

private:
  tick_decision judge(double px, double jump_pct, double ref, bool volume_confirms);
  std::string describe(double px, double ref, double jump_pct) const;

  bad_tick_params p_;
  std::optional<double> ref_;
  std::optional<double> suspect_;
  std::int64_t agreeing_ = 0;
  std::size_t run_held_ = 0;  // held bars of the current suspect run
  std::int64_t side_holds_ = 0;  // consecutive holds on one side of the reference
  int side_ = 0;                 // that side: +1 above, −1 below
  std::size_t release_ = 0;   // held bars a confirmation just proved real
  std::deque<double> volumes_;
  double volume_sum_ = 0;
  std::deque<ts_ns> held_starts_;
  bad_tick_counts counts_;
};

} // namespace trader::signals
