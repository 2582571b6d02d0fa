// Permits per second through a real rate_limiter actor on the threaded scheduler, with
// budgets so large that no call waits for a token: the cost of the actor itself.
//   rate_limiter_permits_per_s          one requester, request → grant → next
//   rate_limiter_permits_per_s_4threads four requesters at once
// Prints one flat JSON object on its last line (see bench/run_all.sh).
// Usage: bench_rate_limiter [permits_per_requester]

#include "actors/exchange/rate_limiter/rate_limiter_actor.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/system_config.hpp"
#include "runtime/core/type_ids.hpp"

#include <caf/all.hpp>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using namespace trader;
using clk = std::chrono::steady_clock;

namespace {

/// n sequential permits; returns how many were granted.
int drive(caf::actor_system& sys, const caf::actor& lim, int n) {
  caf::scoped_actor self{sys};
  int granted = 0;
  for (int i = 0; i < n; ++i)
    self->request(lim, 10s, permit_request{endpoint_group::private_rest, call_priority::order, "POST /orders", 1000})
      .receive([&](const permit_grant&) { ++granted; }, [&](const caf::error&) {});
  return granted;
}

} // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::off);
  int n = argc > 1 ? std::atoi(argv[1]) : 20000;
  prometheus::Registry metrics;  // outlives sys and so the limiter
  core::system_config cfg{core::runtime_options{}};
  core::registry reg;
  caf::actor_system sys{cfg};
  rate_limit::options o;
  o.private_rest = {1e9, 1e9, 0};  // never short of tokens: measure the actor, not the budget
  o.hold_at = 1.0;
  o.warn_at = 1.0;
  auto lim = rate_limiter::spawn_rate_limiter(sys, reg, o, metrics);

  auto t0 = clk::now();
  int one = drive(sys, lim, n);
  double s1 = std::chrono::duration<double>(clk::now() - t0).count();

  std::vector<std::thread> ts;
  std::vector<int> got(4, 0);
  auto t1 = clk::now();
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&, i] { got[i] = drive(sys, lim, n / 4); });
  for (auto& t : ts)
    t.join();
  double s4 = std::chrono::duration<double>(clk::now() - t1).count();
  int four = got[0] + got[1] + got[2] + got[3];

  caf::anon_send_exit(lim, caf::exit_reason::user_shutdown);
  std::printf("{\"rate_limiter_permits_per_s\": %.0f, \"rate_limiter_permits_per_s_4threads\": %.0f}\n", one / s1,
              four / s4);
  return (one == n && four == 4 * (n / 4)) ? 0 : 1;
}
