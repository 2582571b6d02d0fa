#pragma once
// Workers and a fixture for the supervisor tests: each worker journals its start and its
// exit (with the reason), crashes on request, answers its instance number and counts ints.

#include "runtime/core/atoms.hpp"
#include "runtime/core/errc.hpp"
#include "runtime/core/supervisor.hpp"
#include "tests/support/actor_fixture.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <algorithm>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace trader::test {

using namespace std::chrono_literals;

using crash_atom = caf::atom_constant<caf::atom("t_crash")>;
using id_atom = caf::atom_constant<caf::atom("t_id")>;
using quit_atom = caf::atom_constant<caf::atom("t_quit")>;
using die_atom = caf::atom_constant<caf::atom("t_die")>;

/// What the test workers report back.
struct journal {
  std::vector<std::string> started;
  std::vector<std::string> stopped;
  std::vector<std::string> exit_reasons;  ///< "name: reason", in exit order.
  std::atomic<int> next_instance{0};
  std::atomic<int> counted{0};
  std::map<std::string, int> counted_by;  ///< Ints handled, per worker name.
  /// Instances of name started and not yet exited.
  int live(const std::string& name) const {
    return static_cast<int>(std::count(started.begin(), started.end(), name)
                            - std::count(stopped.begin(), stopped.end(), name));
  }
};

/// A worker: crashes on request, answers its instance number, counts ints. A wedged one
/// ignores shutdown requests (only a kill stops it).
inline caf::behavior worker(caf::event_based_actor* self, std::string name, std::shared_ptr<journal> j,
                            bool wedged) {
  int instance = j->next_instance++;
  j->started.push_back(name);
  self->attach_functor([j, name](const caf::error& reason) {
    j->stopped.push_back(name);
    j->exit_reasons.push_back(name + ": " + trader::describe(reason));
  });
  if (wedged)
    self->set_exit_handler([](caf::exit_msg&) { /* wedged: ignores shutdown */ });
  return {
    [=](crash_atom) { throw std::runtime_error("boom in " + name); },
    [=](quit_atom) { self->quit(); },
    [=](id_atom) { return instance; },
    [=](die_atom) -> int { throw std::runtime_error("died mid-request"); },
    [=](int) {
      ++j->counted;
      ++j->counted_by[name];
    },
  };
}

/// Runs supervisors over workers on the deterministic scheduler.
class SupervisorTest : public actor_fixture {
protected:
  std::shared_ptr<journal> j = std::make_shared<journal>();

  core::child_spec spec(std::string name, core::restart_type rt = core::restart_type::permanent, bool wedged = false,
                        std::chrono::milliseconds shutdown = 2000ms) {
    core::child_spec c;
    c.name = name;
    c.restart = rt;
    c.shutdown = shutdown;
    c.start = [name, jj = j, wedged](caf::actor_system& sys) { return sys.spawn(worker, name, jj, wedged); };
    return c;
  }
  core::supervisor_env env(std::string parent = "") {
    core::supervisor_env e;
    e.reg = &reg_;
    e.health = &health_;
    e.parent = std::move(parent);
    return e;
  }
  caf::actor start(core::restart_strategy s, std::vector<core::child_spec> kids, core::restart_intensity in = {},
                   core::supervisor_env e = {}) {
    if (!e.reg)
      e = env();
    core::supervisor_spec sp{"sup", s, in, core::escalation::exit, std::move(kids)};
    auto sup = keep(core::spawn_supervisor(sys(), sp, std::move(e)));
    run();
    return sup;
  }
  void crash(const std::string& name) {
    caf::anon_send(reg_.get(name), crash_atom::value);
    run();
  }
  /// Asks name for its instance number through the registry from an actor; -1 on error.
  int instance_of(const std::string& name) {
    auto result = std::make_shared<int>(-2);
    keep(sys().spawn([=, this](caf::event_based_actor* self) {
      reg_.request(self, name, 1s, id_atom::value).then([=](int i) { *result = i; }, [=](caf::error&) { *result = -1; });
    }));
    run();
    return *result;
  }
  /// Asks supervisor sup to restart child name; the reply ("ok" or the error) lands in the
  /// returned string once the scheduler runs.
  std::shared_ptr<std::string> restart_by_name(const caf::actor& sup, const std::string& name) {
    auto reply = std::make_shared<std::string>();
    keep(sys().spawn([=](caf::event_based_actor* self) {
      self->request(sup, 5s, core::sup_restart_atom::value, name)
        .then([=](caf::ok_atom) { *reply = "ok"; }, [=](caf::error& err) { *reply = trader::describe(err); });
    }));
    return reply;
  }
  caf::scheduler::test_coordinator& sched() {
    return dynamic_cast<caf::scheduler::test_coordinator&>(sys().scheduler());
  }
  /// Runs one job of every actor but a, until only a has work; calls check after each job.
  /// Returns the number of jobs run.
  std::size_t run_all_but(const caf::actor& a, const std::function<void()>& check = {}) {
    auto* starved = dynamic_cast<caf::resumable*>(caf::actor_cast<caf::abstract_actor*>(a));
    std::size_t n = 0;
    for (;;) {
      auto& jobs = sched().jobs;
      auto i = std::find_if(jobs.begin(), jobs.end(), [&](caf::resumable* r) { return r != starved; });
      if (i == jobs.end())
        return n;
      std::rotate(jobs.begin(), i, i + 1);
      sched().run_once();
      ++n;
      if (check)
        check();
    }
  }
};

} // namespace trader::test
