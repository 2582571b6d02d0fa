#include "runtime/core/liveness.hpp"

#include "runtime/clock.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/registry.hpp"

#include <caf/all.hpp>

#include <map>
#include <string>

namespace trader::core {

namespace {

struct outstanding_probe {
  caf::actor_addr target;
  std::int64_t sent_mono = 0;
};

struct monitor_state {
  std::map<std::string, outstanding_probe> outstanding;
  static inline const char* name = "liveness";
};

using monitor_ptr = caf::stateful_actor<monitor_state>*;

std::int64_t mono_now() { return system_time_source::instance().mono_now(); }

caf::behavior monitor_impl(monitor_ptr self, registry* reg, health_board* board, liveness_options opts) {
  self->send(self, probe_tick_atom::value);
  return {
    [=](probe_tick_atom) {
      auto now = mono_now();
      auto& out = self->state.outstanding;
      for (auto& name : reg->names()) {
        auto dst = reg->get(name);
        if (!dst || dst == caf::actor_cast<caf::actor>(self))
          continue;
        auto it = out.find(name);
        if (it != out.end() && it->second.target == dst.address()) {
          board->set_unanswered(name, (now - it->second.sent_mono) / 1'000'000);
          continue;  // still waiting for this instance's answer
        }
        out[name] = outstanding_probe{dst.address(), now};
        // No timeout: a wedged actor never answers, a dead one bounces the request.
        self->request(dst, caf::infinite, probe_atom::value)
          .then(
            [=](std::int64_t depth) {
              auto i = self->state.outstanding.find(name);
              if (i != self->state.outstanding.end() && i->second.target == dst.address())
                self->state.outstanding.erase(i);
              board->set_liveness(name, depth, 0);
            },
            [=](caf::error&) {
              // Gone (restart, shutdown) or it does not speak the probe: forget this probe.
              auto i = self->state.outstanding.find(name);
              if (i != self->state.outstanding.end() && i->second.target == dst.address())
                self->state.outstanding.erase(i);
            });
      }
      self->delayed_send(self, opts.period, probe_tick_atom::value);
    },
  };
}

} // namespace

caf::actor spawn_liveness_monitor(caf::actor_system& sys, registry& reg, health_board& board, liveness_options opts) {
  return sys.spawn(monitor_impl, &reg, &board, opts);
}

} // namespace trader::core
