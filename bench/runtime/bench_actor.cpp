// Benchmarks of the actor runtime (issue 2), on the real scheduler:
//   (a) request/response round trip between two actors, looked up through the registry;
//   (b) time from a child's crash to its replacement answering a request by name.
// Prints one flat JSON object on its last line (see bench/run_all.sh).
// Usage: bench_actor [round_trips] [restarts]

#include "runtime/core/atoms.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/supervisor.hpp"
#include "runtime/core/system_config.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <vector>

using namespace std::chrono_literals;
using namespace trader;
using clk = std::chrono::steady_clock;

namespace {

using ping_atom = caf::atom_constant<caf::atom("b_ping")>;
using crash_atom = caf::atom_constant<caf::atom("b_crash")>;
using go_atom = caf::atom_constant<caf::atom("b_go")>;

caf::behavior echo(caf::event_based_actor* self) {
  self->set_exception_handler([](caf::scheduled_actor*, std::exception_ptr&) -> caf::error {
    return caf::sec::runtime_error;  // Quiet crash: the supervisor logs it.
  });
  return {
    [](ping_atom, std::int64_t n) { return n; },
    [](crash_atom) { throw std::runtime_error("benchmark crash"); },
  };
}

double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

} // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::off);  // The supervisor logs every crash; keep I/O out of the figures.
  int n_rt = argc > 1 ? std::atoi(argv[1]) : 100000;
  int n_restart = argc > 2 ? std::atoi(argv[2]) : 2000;
  core::runtime_options ro;
  ro.scheduler_threads = 2;
  core::system_config cfg{ro};
  core::registry reg;
  caf::actor_system sys{cfg};
  core::health_board health;
  core::child_spec c;
  c.name = "echo";
  c.start = [](caf::actor_system& s) { return s.spawn(echo); };
  core::supervisor_spec spec{"bench_sup", core::restart_strategy::one_for_one, {1'000'000, 1000ms},
                             core::escalation::exit, {c}};
  core::supervisor_env env{&reg, &health, "", {}};
  auto sup = core::spawn_supervisor(sys, spec, env);
  while (!reg.get("echo"))
    std::this_thread::sleep_for(1ms);

  // (a) round trips through the registry.
  std::vector<double> rt;
  {
    std::promise<void> done;
    auto fut = done.get_future();
    rt.reserve(static_cast<std::size_t>(n_rt));
    auto t0 = std::make_shared<clk::time_point>();
    auto left = std::make_shared<int>(n_rt);
    auto driver = sys.spawn([&, t0, left](caf::event_based_actor* self) -> caf::behavior {
      return {[=, &reg, &rt, &done](go_atom) {
        if ((*left)-- == 0) {
          done.set_value();
          self->quit();
          return;
        }
        *t0 = clk::now();
        reg.request(self, "echo", 1s, ping_atom::value, std::int64_t{*left})
          .then(
            [=, &rt](std::int64_t) {
              rt.push_back(std::chrono::duration<double, std::micro>(clk::now() - *t0).count());
              self->send(self, go_atom::value);
            },
            [=](caf::error&) { self->send(self, go_atom::value); });
      }};
    });
    caf::anon_send(driver, go_atom::value);
    fut.wait();
  }

  // (b) crash → replacement answering, polled by name without delay.
  std::vector<double> restart;
  {
    std::promise<void> done;
    auto fut = done.get_future();
    restart.reserve(static_cast<std::size_t>(n_restart));
    auto t0 = std::make_shared<clk::time_point>();
    auto left = std::make_shared<int>(n_restart);
    auto old = std::make_shared<caf::actor_addr>();
    using poll_atom = caf::atom_constant<caf::atom("b_poll")>;
    auto driver = sys.spawn([&, t0, left, old](caf::event_based_actor* self) -> caf::behavior {
      return {
        [=, &reg, &done](go_atom) {
          if ((*left)-- == 0) {
            done.set_value();
            self->quit();
            return;
          }
          auto cur = reg.get("echo");
          *old = cur.address();
          *t0 = clk::now();
          self->send(cur, crash_atom::value);
          self->send(self, poll_atom::value);
        },
        [=, &reg, &restart](poll_atom) {
          auto cur = reg.get("echo");
          if (!cur || cur.address() == *old) {
            self->send(self, poll_atom::value);  // Not replaced yet.
            return;
          }
          self->request(cur, 1s, ping_atom::value, std::int64_t{1})
            .then(
              [=, &restart](std::int64_t) {
                restart.push_back(std::chrono::duration<double, std::micro>(clk::now() - *t0).count());
                self->send(self, go_atom::value);
              },
              [=](caf::error&) { self->send(self, poll_atom::value); });
        },
      };
    });
    caf::anon_send(driver, go_atom::value);
    fut.wait();
  }
  core::request_stop(sup);
  {
    caf::scoped_actor self{sys};
    self->monitor(sup);
    self->receive([](caf::down_msg&) {}, caf::after(10s) >> [] {});
  }
  std::printf("round trips: %zu, restarts: %zu\n", rt.size(), restart.size());
  std::printf("{\"actor_roundtrip_p50_us\": %.2f, \"actor_roundtrip_p99_us\": %.2f, "
              "\"restart_to_answer_p50_us\": %.2f, \"restart_to_answer_p99_us\": %.2f}\n",
              pct(rt, 0.50), pct(rt, 0.99), pct(restart, 0.50), pct(restart, 0.99));
  return 0;
}
