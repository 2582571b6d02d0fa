#include "runtime/core/liveness.hpp"
#include "runtime/core/supervisor.hpp"

#include "runtime/clock.hpp"
#include "runtime/core/atoms.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/registry.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>
#include <memory>

namespace trader::core {

namespace {

using kid_vec = std::vector<caf::actor>;
/// The children of one supervisor instance, by spec index. Shared with its exit guard and,
/// for a nested supervisor, with the instance that replaces it (see adopt()).
using kids_ptr = std::shared_ptr<kid_vec>;

/// A restart requested by name, answered once the child runs again.
struct restart_waiter {
  std::size_t index;
  caf::response_promise promise;
};

struct sup_state {
  supervisor_spec spec;
  supervisor_env env;
  kids_ptr kids;
  std::vector<bool> active;  ///< False once a temporary child is gone.
  restart_window window{restart_intensity{}};
  bool busy = false;           ///< A terminate/restart sequence is running.
  bool shutting_down = false;
  bool halted = false;         ///< safe_halt: intensity exceeded, nothing restarts any more.
  bool first_start = true;     ///< The first start of this instance is not a restart.
  caf::error final_reason;
  std::deque<std::size_t> term_queue;   ///< Terminate these one after another...
  std::vector<std::size_t> start_queue;  ///< ...then (re)start these in spec order.
  std::ptrdiff_t terminating = -1;       ///< Index whose down message we wait for.
  std::uint64_t term_seq = 0;            ///< Invalidates stale kill timers.
  std::vector<std::pair<std::size_t, caf::error>> deferred;  ///< Failures seen while busy.
  std::vector<restart_waiter> waiters;
  static inline const char* name = "supervisor";
};

using self_ptr = caf::stateful_actor<sup_state>*;

ts_ns wall_now() { return system_time_source::instance().wall_now(); }

/// OTP: normal and shutdown exits are not failures.
bool is_abnormal(const caf::error& e) {
  return e && e != caf::exit_reason::user_shutdown && e != caf::exit_reason::normal;
}

/// An exit through the urgent queue: CAF 0.17's send_exit queues it behind the whole mailbox,
/// so a busy child would drain its backlog before dying (review #9).
void exit_urgently(self_ptr self, const caf::actor& child, caf::error reason) {
  self->send<caf::message_priority::high>(child, caf::exit_msg{self->address(), std::move(reason)});
}

const std::string& child_name(self_ptr self, std::size_t i) { return self->state.spec.children[i].name; }

std::ptrdiff_t index_of(self_ptr self, const caf::actor_addr& a) {
  auto& k = *self->state.kids;
  for (std::size_t i = 0; i < k.size(); ++i)
    if (k[i] && k[i].address() == a)
      return static_cast<std::ptrdiff_t>(i);
  return -1;
}

std::ptrdiff_t index_of(self_ptr self, const std::string& name) {
  auto& c = self->state.spec.children;
  for (std::size_t i = 0; i < c.size(); ++i)
    if (c[i].name == name)
      return static_cast<std::ptrdiff_t>(i);
  return -1;
}

std::vector<child_view> views(self_ptr self) {
  auto& st = self->state;
  std::vector<child_view> out(st.spec.children.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = child_view{st.spec.children[i].restart, static_cast<bool>((*st.kids)[i]), st.active[i]};
  return out;
}

void handle_failure(self_ptr self, std::size_t i, const caf::error& reason);
void terminate_next(self_ptr self);

/// Spawns child i; a failed start is retried through the intensity budget.
bool start_child(self_ptr self, std::size_t i) {
  auto& st = self->state;
  auto& spec = st.spec.children[i];
  caf::actor child;
  std::string failure;
  try {
    child = spec.start(self->system());
    if (!child)
      failure = "start function returned no actor";
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown exception";
  }
  if (!child) {
    spdlog::error("actor start failed name={} parent={} error=\"{}\"", spec.name, st.spec.name, failure);
    if (st.env.health) {
      st.env.health->record_failure(spec.name, "start failed: " + failure, wall_now());
      st.env.health->set_state(spec.name, actor_run_state::failed, wall_now());
    }
    self->send(self, sup_retry_atom::value, static_cast<std::uint64_t>(i), failure);
    return false;
  }
  // Monitor only: one down message per death (links would be removed by the child when it
  // handles our shutdown exit message, and link + monitor notifies twice).
  self->monitor(child);
  (*st.kids)[i] = child;
  if (st.env.reg)
    st.env.reg->put(spec.name, child);
  if (st.env.health)
    st.env.health->set_state(spec.name, actor_run_state::running, wall_now());
  spdlog::info("actor started name={} parent={} restart={}", spec.name, st.spec.name, to_string(spec.restart));
  return true;
}

void answer_waiters(self_ptr self) {
  auto& st = self->state;
  auto waiters = std::move(st.waiters);
  st.waiters.clear();
  for (auto& w : waiters) {
    if (st.shutting_down)
      w.promise.deliver(make_error(errc::busy, "supervisor " + st.spec.name + " is shutting down"));
    else if ((*st.kids)[w.index])
      w.promise.deliver(caf::ok_atom::value);
    else
      w.promise.deliver(make_error(errc::start_failed, child_name(self, w.index)));
  }
}

/// Handles the failures that arrived while busy, lowest child index first: under
/// rest_for_one and one_for_all the first restart covers the later children, whose entries
/// are then skipped (they run again). Entries met while a restart they caused is running
/// stay queued for the next step (review #8: they used to be thrown away).
void handle_deferred(self_ptr self) {
  auto& st = self->state;
  auto pending = std::move(st.deferred);
  st.deferred.clear();
  std::stable_sort(pending.begin(), pending.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (auto& [i, reason] : pending) {
    if (st.shutting_down)
      return;
    if ((*st.kids)[i])
      continue;  // Restarted meanwhile, as part of another restart's range.
    if (st.busy)
      st.deferred.emplace_back(i, reason);
    else
      handle_failure(self, i, reason);
  }
}

/// Runs after a terminate sequence: quit if shutting down, else start what is queued.
void step(self_ptr self) {
  auto& st = self->state;
  if (st.shutting_down) {
    answer_waiters(self);
    spdlog::info("supervisor stopped name={} reason={}", st.spec.name, describe(st.final_reason));
    self->quit(st.final_reason);
    return;
  }
  auto todo = std::move(st.start_queue);
  st.start_queue.clear();
  st.busy = false;
  bool restarting = !st.first_start;
  st.first_start = false;
  for (auto i : todo) {
    if (st.active[i] && !(*st.kids)[i]) {
      if (st.env.health && restarting)
        st.env.health->record_restart(child_name(self, i));
      start_child(self, i);
    }
  }
  answer_waiters(self);
  handle_deferred(self);
}

void terminate_next(self_ptr self) {
  auto& st = self->state;
  auto& kids = *st.kids;
  while (!st.term_queue.empty()) {
    auto i = st.term_queue.front();
    st.term_queue.pop_front();
    if (!kids[i])
      continue;
    st.terminating = static_cast<std::ptrdiff_t>(i);
    auto& spec = st.spec.children[i];
    if (st.env.health)
      st.env.health->set_state(spec.name, actor_run_state::stopping, wall_now());
    spdlog::info("actor stopping name={} parent={}", spec.name, st.spec.name);
    if (spec.shutdown.count() == 0) {
      exit_urgently(self, kids[i], caf::exit_reason::kill);
    } else {
      // Graceful: behind what is already queued, so the child finishes its backlog if it can.
      self->send_exit(kids[i], caf::exit_reason::user_shutdown);
      self->delayed_send(self, spec.shutdown, sup_kill_tmo_atom::value, ++st.term_seq);
    }
    return;  // Continue when its down message arrives.
  }
  st.terminating = -1;
  step(self);
}

/// Stops children in the scope's order, then starts the scope's children (in step()).
void run_scope(self_ptr self, const restart_scope& scope) {
  auto& st = self->state;
  st.busy = true;
  st.term_queue.assign(scope.terminate.begin(), scope.terminate.end());
  st.start_queue = scope.start;
  for (auto j : scope.dropped)
    st.active[j] = false;
  terminate_next(self);
}

void begin_shutdown(self_ptr self, caf::error reason) {
  auto& st = self->state;
  if (st.shutting_down)
    return;
  st.shutting_down = true;
  st.busy = true;
  st.final_reason = std::move(reason);
  st.start_queue.clear();
  st.deferred.clear();
  st.term_queue.clear();
  for (std::size_t i = st.kids->size(); i-- > 0;)  // Reverse start order.
    st.term_queue.push_back(i);
  if (st.terminating < 0)
    terminate_next(self);
}

void escalate(self_ptr self, std::size_t i, const caf::error& reason) {
  auto& st = self->state;
  auto msg = "restart intensity exceeded (" + std::to_string(st.spec.intensity.max_restarts) + " in "
             + std::to_string(st.spec.intensity.period.count()) + " ms) after child " + child_name(self, i)
             + " exited: " + describe(reason);
  spdlog::critical("supervisor gives up name={} {}", st.spec.name, msg);
  if (st.spec.on_exceeded == escalation::safe_halt) {
    st.halted = true;
    if (st.env.health)
      st.env.health->set_state(child_name(self, i), actor_run_state::failed, wall_now());
    if (st.env.on_escalate)
      st.env.on_escalate(st.spec.name, msg);
    return;
  }
  begin_shutdown(self, make_error(errc::restart_intensity_exceeded, msg));
}

void handle_failure(self_ptr self, std::size_t i, const caf::error& reason) {
  auto& st = self->state;
  if (st.shutting_down)
    return;
  auto& spec = st.spec.children[i];
  bool restart_it = spec.restart == restart_type::permanent
                    || (spec.restart == restart_type::transient && is_abnormal(reason));
  if (!restart_it) {
    if (spec.restart == restart_type::temporary)
      st.active[i] = false;
    return;
  }
  if (st.halted) {
    spdlog::error("supervisor halted, not restarting name={} parent={}", spec.name, st.spec.name);
    if (st.env.health)
      st.env.health->set_state(spec.name, actor_run_state::failed, wall_now());
    return;
  }
  if (!st.window.add(self->clock().now())) {
    escalate(self, i, reason);
    return;
  }
  if (st.env.health)
    st.env.health->set_state(spec.name, actor_run_state::restarting, wall_now());
  run_scope(self, plan_restart(st.spec.strategy, views(self), i));
}

void on_down(self_ptr self, caf::down_msg& dm) {
  auto& st = self->state;
  auto idx = index_of(self, dm.source);
  if (idx < 0)
    return;
  auto i = static_cast<std::size_t>(idx);
  auto& spec = st.spec.children[i];
  (*st.kids)[i] = nullptr;
  if (st.env.reg)
    st.env.reg->erase_if(spec.name, dm.source);
  bool abnormal = is_abnormal(dm.reason);
  if (abnormal && spec.owns_trading_state && st.env.on_child_lost) {
    spdlog::error("actor owning trading state lost name={} parent={} reason=\"{}\"", spec.name, st.spec.name,
                  describe(dm.reason));
    st.env.on_child_lost(spec.name, describe(dm.reason));
  }
  if (st.terminating == idx) {  // The child we were stopping.
    st.terminating = -1;
    if (st.env.health)
      st.env.health->set_state(spec.name, actor_run_state::stopped, wall_now());
    spdlog::info("actor stopped name={} parent={}", spec.name, st.spec.name);
    if (spec.restart == restart_type::temporary && st.shutting_down)
      st.active[i] = false;
    terminate_next(self);
    return;
  }
  if (abnormal) {
    spdlog::error("actor exited name={} parent={} reason=\"{}\"", spec.name, st.spec.name, describe(dm.reason));
    if (st.env.health)
      st.env.health->record_failure(spec.name, describe(dm.reason), wall_now());
  } else {
    spdlog::info("actor exited name={} parent={} reason=normal", spec.name, st.spec.name);
  }
  if (st.env.health)
    st.env.health->set_state(spec.name, abnormal ? actor_run_state::failed : actor_run_state::stopped, wall_now());
  if (st.busy) {
    bool queued = std::find(st.start_queue.begin(), st.start_queue.end(), i) != st.start_queue.end();
    if (!queued && !st.shutting_down)
      st.deferred.emplace_back(i, dm.reason);
    return;
  }
  handle_failure(self, i, dm.reason);
}

/// A nested supervisor's replacement takes over the children its previous instance left
/// running (it was killed or crashed: its guard sent them its exit reason, but they may
/// still be draining). They are stopped like any child (shutdown timeout, then a kill) and
/// only then are new ones started, so no child ever runs twice (review #10). False when
/// there is nothing to wait for.
bool adopt(self_ptr self, const kids_ptr& previous) {
  auto& st = self->state;
  if (!previous)
    return false;
  std::vector<std::size_t> held;
  for (std::size_t i = 0; i < st.kids->size() && i < previous->size(); ++i)
    if (auto& old = (*previous)[i]) {
      (*st.kids)[i] = old;
      self->monitor(old);
      held.push_back(i);
    }
  if (held.empty())
    return false;
  spdlog::warn("supervisor {} waits for {} children of its previous instance to stop", st.spec.name, held.size());
  restart_scope scope;
  scope.terminate.assign(held.rbegin(), held.rend());
  for (std::size_t i = 0; i < st.kids->size(); ++i)
    scope.start.push_back(i);
  run_scope(self, scope);
  return true;
}

caf::behavior supervisor_impl(self_ptr self, supervisor_spec spec, supervisor_env env, kids_ptr kids,
                              const kids_ptr& previous) {
  auto& st = self->state;
  st.spec = std::move(spec);
  st.env = std::move(env);
  st.kids = std::move(kids);
  st.kids->assign(st.spec.children.size(), caf::actor{});
  st.active.assign(st.spec.children.size(), true);
  st.window = restart_window{st.spec.intensity};
  if (st.env.health) {
    st.env.health->declare(st.spec.name, st.env.parent, true);
    for (auto& c : st.spec.children)
      st.env.health->declare(c.name, st.spec.name, c.is_supervisor);
    st.env.health->set_state(st.spec.name, actor_run_state::running, wall_now());
  }
  if (st.env.reg)
    st.env.reg->put(st.spec.name, caf::actor_cast<caf::actor>(self));
  // Whatever ends this supervisor (crash, kill, parent exit), its children follow, at once
  // (urgent queue). A nested supervisor's replacement waits for them (adopt()).
  self->attach_functor([kids = st.kids, health = st.env.health, reg = st.env.reg, name = st.spec.name,
                        addr = self->address()](const caf::error& reason) {
    auto why = reason ? reason : caf::make_error(caf::exit_reason::user_shutdown);
    for (auto& k : *kids)
      if (k)
        caf::anon_send<caf::message_priority::high>(k, caf::exit_msg{addr, why});
    if (health)
      health->set_state(name, actor_run_state::stopped, system_time_source::instance().wall_now());
    if (reg)
      reg->erase_if(name, addr);
  });
  self->set_down_handler([=](caf::down_msg& dm) { on_down(self, dm); });
  // An exit message reaches us from our parent (send_exit): stop children, then exit.
  self->set_exit_handler([=](caf::exit_msg& em) {
    if (em.reason)
      begin_shutdown(self, em.reason);
  });
  if (!adopt(self, previous)) {
    st.first_start = false;
    for (std::size_t i = 0; i < st.spec.children.size(); ++i)
      start_child(self, i);
  }
  return {
    core::probe_handler(self),
    [=](sup_kill_tmo_atom, std::uint64_t seq) {
      auto& st = self->state;
      if (seq == st.term_seq && st.terminating >= 0 && (*st.kids)[st.terminating]) {
        spdlog::warn("actor did not stop in time, killing name={}", child_name(self, st.terminating));
        exit_urgently(self, (*st.kids)[st.terminating], caf::exit_reason::kill);
      }
    },
    [=](sup_retry_atom, std::uint64_t i, const std::string& why) {
      auto& st = self->state;
      if (i < st.kids->size() && !(*st.kids)[i]) {
        if (st.busy)
          st.deferred.emplace_back(i, make_error(errc::start_failed, why));
        else
          handle_failure(self, i, make_error(errc::start_failed, why));
      }
    },
    [=](sup_stop_atom) { begin_shutdown(self, caf::exit_reason::user_shutdown); },
    // Operator restart: the group's strategy applies as for a failure (rest_for_one restarts
    // the later siblings too, review #16), but it does not count toward intensity.
    [=](sup_restart_atom, const std::string& name) -> caf::result<caf::ok_atom> {
      auto& st = self->state;
      auto idx = index_of(self, name);
      if (idx < 0)
        return make_error(errc::unknown_child, name + " is not a child of " + st.spec.name);
      if (st.shutting_down || st.halted || st.busy)
        return make_error(errc::busy, "supervisor " + st.spec.name + " is busy, shutting down or halted");
      auto i = static_cast<std::size_t>(idx);
      st.active[i] = true;
      auto scope = plan_restart(st.spec.strategy, views(self), i);
      spdlog::info("actor restart requested name={} parent={} strategy={} children={}", name, st.spec.name,
                   to_string(st.spec.strategy), scope.start.size());
      st.waiters.push_back(restart_waiter{i, self->make_response_promise()});
      if (st.env.health)
        st.env.health->set_state(name, actor_run_state::restarting, wall_now());
      run_scope(self, scope);
      return caf::delegated<caf::ok_atom>{};
    },
  };
}

} // namespace

std::chrono::milliseconds shutdown_budget(const supervisor_spec& spec) {
  std::chrono::milliseconds sum{1000};
  for (auto& c : spec.children)
    sum += c.shutdown;
  return sum;
}

caf::actor spawn_supervisor(caf::actor_system& sys, supervisor_spec spec, supervisor_env env) {
  return sys.spawn(supervisor_impl, std::move(spec), std::move(env), std::make_shared<kid_vec>(), kids_ptr{});
}

child_spec supervisor_child(supervisor_spec spec, supervisor_env env) {
  child_spec c;
  c.name = spec.name;
  c.is_supervisor = true;
  c.restart = restart_type::permanent;
  c.shutdown = shutdown_budget(spec);
  // Every instance hands its children vector to the next one (called in the parent's
  // context, after the previous instance is down), which adopts what is still running.
  c.start = [spec = std::move(spec), env = std::move(env), last = std::make_shared<kids_ptr>()](caf::actor_system& sys) {
    auto previous = std::exchange(*last, std::make_shared<kid_vec>());
    return sys.spawn(supervisor_impl, spec, env, *last, previous);
  };
  return c;
}

void request_stop(const caf::actor& supervisor) { caf::anon_send(supervisor, sup_stop_atom::value); }

void send_exit_urgently(const caf::actor& target, const caf::error& reason) {
  caf::anon_send<caf::message_priority::high>(target, caf::exit_msg{caf::actor_addr{}, reason});
}

} // namespace trader::core
