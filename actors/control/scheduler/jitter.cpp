#include "actors/control/scheduler/jitter.hpp"

#include <algorithm>
#include <cmath>

namespace trader::scheduler {

namespace {

double low_factor(const jitter_config& c) { return c.mode == jitter_mode::symmetric ? 1.0 - c.jitter_fraction : 1.0; }

} // namespace

result<void, std::string> validate(const jitter_config& c) {
  std::string why;
  bool ok = true;
  auto bad = [&](const std::string& s) {
    why += s + "\n";
    ok = false;
  };
  if (c.interval_ns <= 0)
    bad("interval must be > 0");
  if (!(c.jitter_fraction >= 0.0 && c.jitter_fraction <= 0.5))
    bad("jitter fraction must be within 0..0.5");
  if (c.cycle_budget_ns <= 0)
    bad("cycle budget must be > 0");
  if (ok && static_cast<double>(c.cycle_budget_ns) > static_cast<double>(c.interval_ns) * low_factor(c))
    bad("cycle budget must fit in the shortest jittered interval");
  if (!ok)
    return fail(std::move(why));
  return {};
}

jittered_interval::jittered_interval(const jitter_config& cfg) : cfg_(cfg), rng_(cfg.seed) {
  cfg_.jitter_fraction = std::clamp(cfg_.jitter_fraction, 0.0, 0.5);
}

double jittered_interval::uniform01() {
  // 53 random bits → [0, 1): the same on every platform, unlike uniform_real_distribution.
  return static_cast<double>(rng_() >> 11) * 0x1.0p-53;
}

std::int64_t jittered_interval::next_delay_ns() {
  double u = uniform01();
  double f = cfg_.jitter_fraction;
  double factor = cfg_.mode == jitter_mode::symmetric ? 1.0 + f * (2.0 * u - 1.0) : 1.0 + f * u;
  return static_cast<std::int64_t>(std::llround(static_cast<double>(cfg_.interval_ns) * factor));
}

std::int64_t jittered_interval::min_delay_ns() const {
  return static_cast<std::int64_t>(std::llround(static_cast<double>(cfg_.interval_ns) * low_factor(cfg_)));
}

std::int64_t jittered_interval::max_delay_ns() const {
  return static_cast<std::int64_t>(std::llround(static_cast<double>(cfg_.interval_ns) * (1.0 + cfg_.jitter_fraction)));
}

void cycle_stats::cycle_started(std::int64_t now_ns) {
  if (count_ > 0) {
    auto iv = now_ns - last_start_;
    min_interval_ = intervals_ ? std::min(min_interval_, iv) : iv;
    max_interval_ = std::max(max_interval_, iv);
    sum_interval_ += static_cast<double>(iv);
    ++intervals_;
  }
  last_start_ = now_ns;
  ++count_;
}

bool cycle_stats::cycle_finished(std::int64_t started_ns, std::int64_t now_ns) {
  last_duration_ = now_ns - started_ns;
  max_duration_ = std::max(max_duration_, last_duration_);
  if (last_duration_ > budget_ns_) {
    ++overruns_;
    return true;
  }
  return false;
}

} // namespace trader::scheduler
