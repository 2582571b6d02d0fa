#include "actors/control/kill_switch/kill_switch_actor.hpp"

#include "actors/control/kill_switch/file_watch.hpp"
#include "actors/control/kill_switch/kill_switch_file.hpp"
#include "actors/control/kill_switch/kill_switch_stats.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/gate_reporter.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <vector>

namespace trader::kill_switch {

namespace {

using poll_atom = caf::atom_constant<caf::atom("ks_poll")>;
using stat_atom = caf::atom_constant<caf::atom("ks_stat")>;

/// What an engagement still has to deliver. At start traderd's subtrees come up
/// concurrently, so alerting, audit and order_lifecycle may not be registered yet when a file
/// present at start is seen: their messages wait here (retried every poll) for up to
/// effects_deadline, then the loss is logged.
struct pending_effects {
  std::optional<cancel_all> cancel;
  std::optional<alert> alarm;
  std::vector<audit_entry> audits;
  caf::actor_clock::time_point deadline;
  bool empty() const { return !cancel && !alarm && audits.empty(); }
};

constexpr auto effects_deadline = std::chrono::seconds(30);
constexpr auto raise_timeout = std::chrono::seconds(5);

struct kill_switch_state {
  options opts;
  std::string path;
  file_presence presence;
  std::unique_ptr<file_watch> watch;
  core::gate_reporter reporter{gate_source};
  std::unique_ptr<kill_switch_stats> stats;
  std::string unknown_why;   ///< Last "cannot tell" reason logged (logged once per reason).
  int logged_watching = -1;  ///< The watch state last logged (-1: none yet).
  pending_effects pending;
  /// The engagement is not yet confirmed durable by risk (raise_gate); retried every stat
  /// tick while the file is present.
  bool durable_pending = false;
  bool durable_in_flight = false;
  static inline const char* name = names::kill_switch;
};

using self_ptr = caf::stateful_actor<kill_switch_state>*;

ts_ns now() { return system_time_source::instance().wall_now(); }

/// Delivers what an engagement still owes to peers that are registered now; gives up (and
/// says so) past the deadline.
void deliver(self_ptr self, core::registry& reg) {
  auto& p = self->state.pending;
  if (p.empty())
    return;
  bool give_up = self->clock().now() >= p.deadline;
  if (p.cancel) {
    if (auto orders = reg.get(names::order_lifecycle)) {
      // A request, not a send: order_lifecycle answers cancel_all with what it cancelled, and
      // an answer nobody handles comes back to order_lifecycle as an error that ends it.
      self->request(orders, std::chrono::seconds(120), *p.cancel)
        .then([](const std::string& r) { spdlog::warn("kill switch: cancel-all answered {}", r); },
              [](caf::error& e) {
                spdlog::error("KILL SWITCH: cancel-all got no answer ({}); check `traderctl orders --json`",
                              describe(e));
              });
      spdlog::warn("kill switch: cancel-all sent to order_lifecycle ({})", p.cancel->reason);
      p.cancel.reset();
    } else if (give_up) {
      spdlog::critical("KILL SWITCH: no order_lifecycle: open orders were not cancelled");
      p.cancel.reset();
    }
  }
  if (p.alarm) {
    if (auto a = reg.get(names::alerting)) {
      self->send(a, *p.alarm);
      p.alarm.reset();
    } else if (give_up) {
      spdlog::critical("KILL SWITCH: alerting is not running: the kill_switch alert was not sent ({})", p.alarm->detail);
      p.alarm.reset();
    }
  }
  if (!p.audits.empty()) {
    if (auto a = reg.get(names::audit)) {
      for (auto& e : p.audits)
        self->send(a, std::move(e));
      p.audits.clear();
    } else if (give_up) {
      for (auto& e : p.audits)
        spdlog::error("kill switch: audit is not running: entry not recorded: {}", e.payload_json);
      p.audits.clear();
    }
  }
}

void audit(self_ptr self, core::registry& reg, nlohmann::json payload) {
  auto& st = self->state;
  payload["path"] = st.path;
  if (st.pending.empty())
    st.pending.deadline = self->clock().now() + effects_deadline;
  st.pending.audits.push_back(audit_entry{"kill_switch", names::kill_switch, payload.dump()});
  deliver(self, reg);
}

/// Asks risk to make kill_switch durable (raise_gate answers once the store has it). The level
/// report already closed the gate; this is about surviving a restart that comes soon after —
/// at start risk may run before state does, and a gate it cannot persist waits for its retry.
void make_durable(self_ptr self, core::registry& reg) {
  auto& st = self->state;
  if (!st.durable_pending || st.durable_in_flight)
    return;
  auto risk = reg.get(names::risk);
  if (!risk)
    return;  // the next stat tick tries again
  st.durable_in_flight = true;
  auto path = st.path;
  self
    ->request(risk, raise_timeout,
              raise_gate{gate_signal{gate_reason::kill_switch, true, condition_detail(path), gate_source, now(), {}}})
    .then(
      [self, path](const gate_changed&) {
        auto& st = self->state;
        st.durable_in_flight = false;
        if (path != st.path)
          return;  // a reload moved the watch meanwhile
        st.durable_pending = false;
        spdlog::warn("kill switch: engagement by {} persisted (durable in the state store)", path);
      },
      [self](caf::error& err) {
        self->state.durable_in_flight = false;
        spdlog::warn("kill switch: engagement not durable yet ({}); retrying every {} ms while the file exists",
                     describe(err), self->state.opts.stat_interval.count());
      });
}

/// The file appeared: everything `traderctl kill` does, the gate condition aside (the caller
/// reports it first).
void engage(self_ptr self, core::registry& reg, const char* how) {
  auto& st = self->state;
  auto detail = condition_detail(st.path);
  spdlog::critical("KILL SWITCH engaged: {} ({})", detail, how);
  st.durable_pending = true;
  make_durable(self, reg);
  if (st.pending.empty())
    st.pending.deadline = self->clock().now() + effects_deadline;
  st.pending.cancel = cancel_all{"kill switch file: " + detail};
  st.pending.alarm = alert{"kill_switch", severity::critical, "kill_switch_file", "kill switch engaged by file",
                           detail + " (" + how + "); remove it and run `traderctl resume kill_switch` to release",
                           names::kill_switch, false, now()};
  bool orders_up = static_cast<bool>(reg.get(names::order_lifecycle));
  if (!orders_up)
    spdlog::warn("kill switch: order_lifecycle is not running: cancel-all waits for it (up to {} s)",
                 std::chrono::duration_cast<std::chrono::seconds>(effects_deadline).count());
  audit(self, reg,
        {{"event", "engaged"}, {"source", gate_source}, {"how", how}, {"cancel_all", orders_up ? "sent" : "pending"}});
  if (st.stats)
    st.stats->engaged.Increment();
}

/// Observes the file once; reports the gate when this source's conditions changed. True if
/// it reported.
bool check(self_ptr self, core::registry& reg, const char* how) {
  auto& st = self->state;
  std::string why;
  auto seen = stat_presence(st.path, &why);
  if (seen == presence::unknown) {
    if (why != st.unknown_why)
      spdlog::error("kill switch: cannot tell whether {} exists ({}); keeping the last known state ({})", st.path, why,
                    st.presence.present() ? "present" : "absent");
    st.unknown_why = why;
    return false;
  }
  st.unknown_why.clear();
  bool exists = seen == presence::present;
  auto event = st.presence.observe(exists);
  bool changed = st.reporter.update(gate_reason::kill_switch, exists, condition_detail(st.path));
  if (st.stats)
    st.stats->present.Set(exists ? 1 : 0);
  if (changed)
    core::report_gate(self, reg, st.reporter, now());
  if (event == file_event::engage) {
    engage(self, reg, how);
  } else if (event == file_event::removed) {
    spdlog::warn("kill switch file {} removed: the kill switch stays engaged until `traderctl resume kill_switch`",
                 st.path);
    audit(self, reg, {{"event", "file_removed"}, {"source", gate_source}});
    if (st.durable_pending)
      spdlog::warn("kill switch: removed before risk confirmed it durable; risk keeps retrying to persist it");
    st.durable_pending = false;
  }
  return changed;
}

/// Re-arms a lost directory watch and logs when watching starts or stops.
void keep_watching(self_ptr self) {
  auto& st = self->state;
  bool watching = st.watch->rearm();
  if (st.stats)
    st.stats->watching.Set(watching ? 1 : 0);
  if (static_cast<int>(watching) == st.logged_watching)
    return;
  st.logged_watching = watching;
  if (watching)
    spdlog::info("kill switch: watching {} (inotify on {}, stat every {} ms)", st.path, st.watch->directory(),
                 st.opts.stat_interval.count());
  else
    spdlog::warn("kill switch: cannot watch {} ({}); checking {} with stat every {} ms", st.watch->directory(),
                 st.watch->error(), st.path, st.opts.stat_interval.count());
}

void use_path(self_ptr self, std::string path) {
  auto& st = self->state;
  st.path = std::move(path);
  st.watch = std::make_unique<file_watch>(st.path);
  st.presence = file_presence{};
  st.logged_watching = -1;
  st.durable_pending = false;
  keep_watching(self);
}

caf::behavior kill_switch_impl(self_ptr self, core::registry* reg, options opts, prometheus::Registry* metrics) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.stats = std::make_unique<kill_switch_stats>(metrics::actor_metrics(*metrics, names::kill_switch));
  use_path(self, st.opts.path);
  // Present at start engages; an empty report at start replaces whatever an earlier
  // instance reported.
  if (!check(self, *reg, "present at start"))
    core::report_gate(self, *reg, st.reporter, now());
  core::start_gate_reassert(self);
  self->delayed_send(self, st.opts.poll_interval, poll_atom::value);
  self->delayed_send(self, st.opts.stat_interval, stat_atom::value);
  return {
    [=](poll_atom) {
      auto& st = self->state;
      if (st.watch->poll()) {
        if (!st.watch->watching())
          keep_watching(self);
        check(self, *reg, "inotify");
      }
      deliver(self, *reg);
      self->delayed_send(self, st.opts.poll_interval, poll_atom::value);
    },
    [=](stat_atom) {
      auto& st = self->state;
      if (st.opts.current_path) {
        std::string next;
        try {
          next = st.opts.current_path();
        } catch (const std::exception& e) {
          spdlog::error("kill switch: reading the configured path failed: {}", e.what());
        }
        if (!next.empty() && next != st.path) {
          spdlog::warn("kill switch: control.kill_switch_file changed from {} to {}", st.path, next);
          audit(self, *reg, {{"event", "path_changed"}, {"from", st.path}, {"source", gate_source}});
          use_path(self, std::move(next));
        }
      }
      if (!st.watch->watching())
        keep_watching(self);
      check(self, *reg, "stat");
      if (st.durable_pending && st.presence.present())
        make_durable(self, *reg);
      self->delayed_send(self, st.opts.stat_interval, stat_atom::value);
    },
    core::gate_report_handler(
      self, *reg, [self]() -> const core::gate_reporter& { return self->state.reporter; }, now),
    core::probe_handler(self),
  };
}

} // namespace

caf::actor spawn_kill_switch(caf::actor_system& sys, core::registry& reg, options opts, prometheus::Registry& metrics) {
  return sys.spawn(kill_switch_impl, &reg, std::move(opts), &metrics);
}

} // namespace trader::kill_switch
