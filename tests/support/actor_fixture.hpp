#pragma once
// GoogleTest fixture running CAF on its deterministic scheduler (virtual time, no threads).
// Drive it with run() / advance(); never sleep.

#include "runtime/core/health_board.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/system_config.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <vector>

namespace trader::test {

class actor_fixture : public ::testing::Test {
protected:
  actor_fixture() : cfg_(core::runtime_options{.deterministic = true}) {
    sys_ = std::make_unique<caf::actor_system>(cfg_);
    sched_ = &dynamic_cast<caf::scheduler::test_coordinator&>(sys_->scheduler());
  }
  ~actor_fixture() override {
    for (auto& a : cleanup_)
      caf::anon_send_exit(a, caf::exit_reason::kill);
    sched_->run();
    cleanup_.clear();
    sched_->run();
  }

  caf::actor_system& sys() { return *sys_; }
  /// Runs every pending job (does not fire timers).
  void run() { sched_->run(); }
  /// Moves virtual time forward, fires due timers, and runs.
  void advance(caf::timespan d) {
    sched_->advance_time(d);
    sched_->run();
  }
  /// Kills a at the end of the test (the actor system cannot die while it lives).
  caf::actor keep(caf::actor a) {
    cleanup_.push_back(a);
    return a;
  }
  /// What a request answered: the value, or the error (done either way).
  template <class T>
  struct replied {
    std::optional<T> value;
    caf::error err;
    bool done = false;
  };
  /// Requests xs from dst through a one-shot actor, runs, and returns what came back.
  template <class T, class... Ts>
  std::shared_ptr<replied<T>> request(const caf::actor& dst, caf::timespan timeout, Ts... xs) {
    auto out = std::make_shared<replied<T>>();
    keep(sys().spawn([=](caf::event_based_actor* self) {
      self->request(dst, timeout, xs...)
        .then(
          [=](const T& v) {
            out->value = v;
            out->done = true;
          },
          [=](caf::error& e) {
            out->err = e;
            out->done = true;
          });
    }));
    run();
    return out;
  }
  static bool alive(const caf::actor& a) {
    return a && !caf::actor_cast<caf::abstract_actor*>(a)->getf(caf::abstract_actor::is_terminated_flag);
  }

  core::registry reg_;
  core::health_board health_;

private:
  core::system_config cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::scheduler::test_coordinator* sched_ = nullptr;
  std::vector<caf::actor> cleanup_;
};

} // namespace trader::test
