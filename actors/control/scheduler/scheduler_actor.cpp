#include "actors/control/scheduler/scheduler_actor.hpp"

#include "actors/control/scheduler/scheduler_stats.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/subscribers.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace trader::scheduler {

namespace {

using tick_atom = caf::atom_constant<caf::atom("sch_tick")>;

struct scheduler_state {
  std::unique_ptr<jittered_interval> delays;
  cycle_stats cycles;
  std::unique_ptr<scheduler_stats> stats;
  core::subscribers subscribers;
  std::int64_t next_delay_ns = 0;  ///< The delay before the pending tick.
  double jitter_sum = 0;           ///< Σ (delay / nominal − 1) over ticks sent.
  static inline const char* name = names::scheduler;
};

using self_ptr = caf::stateful_actor<scheduler_state>*;

std::int64_t mono(self_ptr self) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(self->clock().now().time_since_epoch()).count();
}

void arm(self_ptr self) {
  auto& st = self->state;
  st.next_delay_ns = st.delays->next_delay_ns();
  self->delayed_send(self, std::chrono::nanoseconds(st.next_delay_ns), tick_atom::value);
}

/// Starts a cycle: its decision tick to every target and subscriber.
decision_tick emit(self_ptr self, core::registry& reg, const std::vector<std::string>& targets, std::int64_t delay_ns) {
  auto& st = self->state;
  st.cycles.cycle_started(mono(self));
  decision_tick t{static_cast<std::int64_t>(st.cycles.count()), delay_ns / 1'000'000,
                  system_time_source::instance().wall_now()};
  for (const auto& name : targets)
    reg.send(self, name, t);
  st.subscribers.publish(self, t);
  return t;
}

caf::behavior scheduler_impl(self_ptr self, core::registry* reg, const options& opts, prometheus::Registry* metrics) {
  auto& st = self->state;
  if (auto valid = validate(opts.jitter); !valid)
    spdlog::error("scheduler: questionable [loop] settings (ticking anyway):\n{}", valid.error());
  st.delays = std::make_unique<jittered_interval>(opts.jitter);
  st.cycles = cycle_stats(opts.jitter.cycle_budget_ns);
  st.stats = std::make_unique<scheduler_stats>(metrics::actor_metrics(*metrics, names::scheduler));
  st.subscribers.remove_on_down(self);
  // Under the stepped wall-clock test hook the harness owns simulated time: a real timer would
  // start cycles at whatever simulated moment it fires, so cycles come only from cycle_now.
  if (wall_clock_hooked())
    spdlog::warn("scheduler: the wall clock is the test hook's: no timed cycles, only debug.cycle");
  else
    arm(self);
  auto nominal = static_cast<double>(opts.jitter.interval_ns);
  auto targets = opts.targets;
  return {
    [=](const subscribe_feed&) -> subscribed {
      self->state.subscribers.add_sender(self);
      return subscribed{};
    },
    [=](tick_atom) {
      auto& st = self->state;
      st.jitter_sum += static_cast<double>(st.next_delay_ns) / nominal - 1.0;
      auto t = emit(self, *reg, targets, st.next_delay_ns);
      if (st.stats) {
        st.stats->started(st.next_delay_ns);
        st.stats->means(st.cycles.mean_interval_ns(), st.jitter_sum / static_cast<double>(st.cycles.count()));
      }
      spdlog::debug("scheduler: decision tick {} after {} ms", t.cycle, t.interval_ms);
      arm(self);
    },
    // A cycle now, off the timer (the pending tick stays armed): the test hook that lets a
    // stepped-clock harness run a decision cycle at each simulated step (docs/backtest.md
    // "Parity"); answered once the tick has been sent, with its cycle number.
    [=](cycle_now_atom) -> std::int64_t {
      auto t = emit(self, *reg, targets, 0);
      spdlog::info("scheduler: decision tick {} on request (test hook)", t.cycle);
      return t.cycle;
    },
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_scheduler(caf::actor_system& sys, core::registry& reg, options opts,
                           prometheus::Registry& metrics) {
  return sys.spawn(scheduler_impl, &reg, std::move(opts), &metrics);
}

} // namespace trader::scheduler
