#include "actors/infra/state/state_actor.hpp"

#include "actors/infra/state/gate_records.hpp"
#include "actors/infra/state/store_reverifier.hpp"
#include "runtime/clock.hpp"
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

struct state_state {
  std::shared_ptr<persistence::state_store> store;
  std::string why_unavailable;
  bool reported = false;  ///< The first failure is reported; later ones only logged.
  std::unique_ptr<store_reverifier> reverifier;
  static inline const char* name = names::state;
};

using self_ptr = caf::stateful_actor<state_state>*;

void fail_closed(self_ptr self, core::registry& reg, const std::string& what) {
  spdlog::critical("state store unavailable: {}", what);
  if (self->state.reported)
    return;
  self->state.reported = true;
  auto now = system_time_source::instance().wall_now();
  reg.send(self, names::risk, gate_signal{gate_reason::state_unavailable, true, what, names::state, now});
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

caf::behavior state_impl(self_ptr self, core::registry* reg, std::shared_ptr<persistence::state_store> store,
                         std::string why, reverify_options verify) {
  self->state.store = std::move(store);
  self->state.why_unavailable = std::move(why);
  if (!self->state.store)
    fail_closed(self, *reg, self->state.why_unavailable);
  else if (verify.interval.count() > 0) {
    self->state.reverifier = std::make_unique<store_reverifier>(self->state.store->dir(), std::move(verify));
    self->delayed_send(self, self->state.reverifier->options().interval, verify_tick_atom::value);
  }
  return {
    core::probe_handler(self),
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
