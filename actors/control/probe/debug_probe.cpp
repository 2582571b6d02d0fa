#include "actors/control/probe/debug_probe.hpp"

#include "runtime/core/liveness.hpp"

#include <caf/all.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <thread>

namespace trader::probe {

using wedge_atom = caf::atom_constant<caf::atom("dbg_wedge")>;

bool test_hooks_enabled() {
  auto v = std::getenv("TRADER_TEST_HOOKS");  // NOLINT(concurrency-mt-unsafe): we never setenv, reads are safe
  return v && std::strcmp(v, "1") == 0;
}

caf::actor spawn_debug_probe(caf::actor_system& sys) {
  return sys.spawn<caf::detached>([](caf::event_based_actor* self) -> caf::behavior {
    return {
      core::probe_handler(self),
      [](wedge_atom, std::int64_t ms) {
        spdlog::warn("debug probe: wedging for {} ms (test hook)", ms);
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        spdlog::warn("debug probe: answering again");
      },
    };
  });
}

void send_wedge(const caf::actor& probe, std::int64_t ms) { caf::anon_send(probe, wedge_atom::value, ms); }

} // namespace trader::probe
