#include "actors/infra/state/state_actor.hpp"

#include "actors/infra/state/gate_records.hpp"
#include "actors/infra/state/store_reverifier.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/state_store.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace trader::state {

namespace {

using verify_tick_atom = caf::atom_constant<caf::atom("st_verify")>;
using watch_tick_atom = caf::atom_constant<caf::atom("st_watch")>;

/// How often the actor looks whether another writer's failed commit poisoned the store.
constexpr auto poison_watch_interval = std::chrono::milliseconds(500);

struct state_state {
  std::shared_ptr<persistence::state_store> store;
  std::string why_unavailable;
  bool reported = false;  ///< The first failure is alerted and audited; later ones only logged.
  /// state_unavailable while the store is absent or failed (it never recovers in-process).
  core::gate_reporter gate{names::state};
  std::unique_ptr<store_reverifier> reverifier;
  static inline const char* name = names::state;
};

using self_ptr = caf::stateful_actor<state_state>*;

void fail_closed(self_ptr self, core::registry& reg, const std::string& what) {
  spdlog::critical("state store unavailable: {}", what);
  auto now = system_time_source::instance().wall_now();
  // Level-triggered: held for as long as this store instance is bad, re-asserted
  // periodically and to every restarted risk (review rows #1, #11).
  if (self->state.gate.set(gate_reason::state_unavailable, what))
    core::report_gate(self, reg, self->state.gate, now);
  if (self->state.reported)
    return;
  self->state.reported = true;
  reg.send(self, names::alerting,
           alert{"state_unavailable", severity::critical, "state_unavailable", "state store unavailable", what, names::state,
                 false, now});
  audit_entry entry{"state", names::state, nlohmann::json{{"error", what}}.dump()};
  reg.send(self, names::audit, std::move(entry));
}

/// One step of the periodic re-verify (store_reverifier); schedules the next one.
void reverify(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  auto step = st.reverifier->step();
  if (!step.cannot_run.empty())
    spdlog::error("state store: periodic verify could not run: {}", step.cannot_run);
  if (step.finished) {
    auto& rep = *step.finished;
    if (rep.ok()) {
      spdlog::info("state store: periodic verify ok in {} ms (commit #{})", step.took.count(), rep.commit_seq);
    } else {
      auto err = rep.to_error();
      spdlog::critical("state store: periodic verify FAILED after {} ms: {}", step.took.count(), err.describe());
      for (const auto& p : rep.problems)
        spdlog::error("  {}", p.describe());
      st.store->mark_failed(err);  // every later write is refused with it
      fail_closed(self, reg, "periodic verify: " + err.describe());
    }
  }
  if (step.next.count() > 0)
    self->delayed_send(self, step.next, verify_tick_atom::value);
}

/// Every writer shares the store (order_lifecycle books fills, risk its ledger): a commit
/// that fails in any of them poisons it for all, and without this watch the gate stayed open
/// until the state actor's own next write failed — fills refused, positions stale, the gate
/// open (found by the chaos soak's full disk). Also the check at start. Returns whether the
/// store still takes writes (then the next look is armed; a poisoned store stays so).
bool watch_poison(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  if (!st.store)
    return false;
  if (auto f = st.store->failure()) {
    fail_closed(self, reg, "store refuses writes: " + f->describe());
    return false;
  }
  self->delayed_send(self, poison_watch_interval, watch_tick_atom::value);
  return true;
}

caf::behavior state_impl(self_ptr self, core::registry* reg, std::shared_ptr<persistence::state_store> store,
                         std::string why, reverify_options verify) {
  self->state.store = std::move(store);
  self->state.why_unavailable = std::move(why);
  core::start_gate_reassert(self);
  if (!self->state.store) {
    fail_closed(self, *reg, self->state.why_unavailable);
  } else if (watch_poison(self, *reg) && verify.interval.count() > 0) {
    self->state.reverifier = std::make_unique<store_reverifier>(self->state.store->dir(), std::move(verify));
    self->delayed_send(self, self->state.reverifier->options().interval, verify_tick_atom::value);
  }
  return {
    core::probe_handler(self),
    core::gate_report_handler(self, *reg, [self]() -> const core::gate_reporter& { return self->state.gate; },
                              [] { return system_time_source::instance().wall_now(); }),
    [=](const persist_gate& p) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      if (!st.store) {
        fail_closed(self, *reg, st.why_unavailable);
        return make_error(errc::state_unavailable, st.why_unavailable);
      }
      auto r = st.store->put_gate(to_record(p.gate));
      if (!r) {
        fail_closed(self, *reg, "writing the gate: " + r.error().describe());
        return make_error(errc::state_unavailable, "writing the gate: " + r.error().describe());
      }
      return caf::ok_atom::value;
    },
    [=](watch_tick_atom) { (void)watch_poison(self, *reg); },
    [=](verify_tick_atom) {
      if (self->state.reverifier)
        reverify(self, *reg);
    },
    [=](const gate_changed& g) {
      auto& st = self->state;
      if (!st.store) {
        fail_closed(self, *reg, st.why_unavailable);
        return;
      }
      auto r = st.store->put_gate(to_record(g));
      if (!r)
        fail_closed(self, *reg, "writing the gate: " + r.error().describe());
    },
    [=](const config_runtime& c) {
      auto& st = self->state;
      if (!st.store)
        return;
      auto r = st.store->add_config_runtime(c.trading_hash, c.live, c.seconds, system_time_source::instance().wall_now());
      if (!r)
        fail_closed(self, *reg, "recording config runtime: " + r.error().describe());
    },
  };
}

} // namespace

caf::actor spawn_state(caf::actor_system& sys, core::registry& reg, std::shared_ptr<persistence::state_store> store,
                       std::string why_unavailable, reverify_options verify) {
  return sys.spawn<caf::detached>(state_impl, &reg, std::move(store), std::move(why_unavailable), std::move(verify));
}

} // namespace trader::state
