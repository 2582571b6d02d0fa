#include "actors/trading/signals/bad_tick_guard.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace trader::signals {

namespace {

double distance_pct(double px, double ref) { return std::fabs(px - ref) / ref * 100.0; }

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string fmt2(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

} // namespace

std::string_view name(tick_verdict v) {
  static constexpr std::array<std::string_view, 3> names{"pass", "held", "confirmed"};
  return names[static_cast<std::size_t>(v)];
}

bad_tick_guard::bad_tick_guard(const bad_tick_params& p) : p_(p) {}

std::string bad_tick_guard::describe(double px, double ref, double jump_pct) const {
  return "px=" + fmt(px) + " ref=" + fmt(ref) + " jump_pct=" + fmt2(jump_pct) + " limit_pct=" + fmt2(p_.max_jump_pct);
}

tick_decision bad_tick_guard::judge(double px, double jump_pct, double ref, bool volume_confirms) {
  tick_decision d;
  d.reference = ref;
  d.jump_pct = jump_pct;
  if (jump_pct <= p_.max_jump_pct) {
    // A normal price: any pending suspect was a bad tick that the market did not follow.
    suspect_.reset();
    agreeing_ = 0;
    run_held_ = 0;
    side_holds_ = 0;
    ref_ = px;
    ++counts_.passed;
    d.verdict = tick_verdict::pass;
    return d;
  }
  const int side = px < ref ? -1 : 1;
  if (p_.reanchor_after_holds > 0 && side == side_ && side_holds_ >= p_.reanchor_after_holds) {
    // A sustained move: every price since the first hold stayed on this side. The held bars
    // were the move itself, not bad ticks.
    release_ = static_cast<std::size_t>(side_holds_);
    d.verdict = tick_verdict::confirmed;
    d.reason = "BAD_TICK_CONFIRMED: " + describe(px, ref, jump_pct) + " by=reanchor holds=" +
               std::to_string(side_holds_) + "/" + std::to_string(p_.reanchor_after_holds);
    suspect_.reset();
    agreeing_ = 0;
    run_held_ = 0;
    side_holds_ = 0;
    ref_ = px;
    ++counts_.confirmed;
    return d;
  }
  if (volume_confirms) {
    release_ = suspect_ && distance_pct(px, *suspect_) <= p_.agree_pct ? run_held_ : 0;
    run_held_ = 0;
    side_holds_ = 0;
    suspect_.reset();
    agreeing_ = 0;
    ref_ = px;
    ++counts_.confirmed;
    d.verdict = tick_verdict::confirmed;
    d.reason = "BAD_TICK_CONFIRMED: " + describe(px, ref, jump_pct) + " by=volume";
    return d;
  }
  if (suspect_ && distance_pct(px, *suspect_) <= p_.agree_pct) {
    ++agreeing_;
  } else {
    suspect_ = px;
    agreeing_ = 0;
    run_held_ = 0;
  }
  if (agreeing_ >= p_.confirm_ticks) {
    d.verdict = tick_verdict::confirmed;
    d.reason = "BAD_TICK_CONFIRMED: " + describe(px, ref, jump_pct) + " by=ticks agreeing=" +
               std::to_string(agreeing_) + "/" + std::to_string(p_.confirm_ticks);
    suspect_.reset();
    agreeing_ = 0;
    release_ = run_held_;
    run_held_ = 0;
    side_holds_ = 0;
    ref_ = px;
    ++counts_.confirmed;
    return d;
  }
  side_holds_ = side == side_ ? side_holds_ + 1 : 1;
  side_ = side;
  ++counts_.held;
  d.verdict = tick_verdict::held;
  d.reason = "BAD_TICK: " + describe(px, ref, jump_pct) + " agreeing=" + std::to_string(agreeing_) + "/" +
             std::to_string(p_.confirm_ticks);
  return d;
}

tick_decision bad_tick_guard::check_price(double px) {
  if (!ref_ || !(*ref_ > 0)) {
    ref_ = px;
    ++counts_.passed;
    return tick_decision{tick_verdict::pass, 0, 0, {}};
  }
  return judge(px, distance_pct(px, *ref_), *ref_, false);
}

tick_decision bad_tick_guard::check_bar(const bar& b) {
  const double close = b.close.to_double();
  const double vol = b.volume.to_double();
  tick_decision d;
  release_ = 0;
  if (!ref_ || !(*ref_ > 0)) {
    ref_ = close;
    ++counts_.passed;
  } else {
    const double ref = *ref_;
    const double jump = std::max({distance_pct(b.high.to_double(), ref), distance_pct(b.low.to_double(), ref),
                                  distance_pct(close, ref)});
    const bool by_volume = p_.confirm_volume_ratio > 0 && !volumes_.empty() &&
                           vol >= p_.confirm_volume_ratio * (volume_sum_ / static_cast<double>(volumes_.size())) &&
                           vol > 0;
    // A wick that jumps while the close stays near the reference is judged by its extreme.
    const double judged = distance_pct(close, ref) > p_.max_jump_pct ? close
                          : distance_pct(b.high.to_double(), ref) >= distance_pct(b.low.to_double(), ref)
                            ? b.high.to_double()
                            : b.low.to_double();
    d = judge(judged, jump, ref, by_volume);
    if (d.verdict == tick_verdict::confirmed || d.verdict == tick_verdict::pass)
      ref_ = close;
  }
  for (; release_ > 0 && !held_starts_.empty(); --release_)
    held_starts_.pop_back();  // the start of a real move, not a bad tick
  if (d.verdict == tick_verdict::held) {
    ++run_held_;
    held_starts_.push_back(b.start);
    if (held_starts_.size() > 4096)
      held_starts_.pop_front();
    return d;
  }
  volumes_.push_back(vol);
  volume_sum_ += vol;
  if (volumes_.size() > std::max<std::size_t>(p_.volume_lookback, 1)) {
    volume_sum_ -= volumes_.front();
    volumes_.pop_front();
  }
  return d;
}

bool bad_tick_guard::clean(std::span<const bar> window) const {
  if (window.empty() || held_starts_.empty())
    return true;
  const ts_ns from = window.front().start, to = window.back().start;
  return std::none_of(held_starts_.begin(), held_starts_.end(), [&](ts_ns s) { return s >= from && s <= to; });
}

} // namespace trader::signals
