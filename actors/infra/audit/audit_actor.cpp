#include "actors/infra/audit/audit_actor.hpp"

#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/audit_log.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace trader::audit {

namespace {

struct audit_state {
  std::shared_ptr<persistence::audit_log> log;
  std::uint64_t failures = 0;
  static inline const char* name = names::audit;
};

caf::behavior audit_impl(caf::stateful_actor<audit_state>* self, std::shared_ptr<persistence::audit_log> log) {
  self->state.log = std::move(log);
  return {
    core::probe_handler(self),
    [=](const audit_entry& e) {
      auto payload = nlohmann::json::parse(e.payload_json, nullptr, false);
      if (payload.is_discarded() || !payload.is_object())
        payload = nlohmann::json{{"text", e.payload_json}};
      auto r = self->state.log->append(e.kind, e.actor, payload);
      if (!r) {
        ++self->state.failures;
        spdlog::critical("audit append failed kind={} actor={}: {}", e.kind, e.actor, r.error().describe());
      }
    },
  };
}

} // namespace

caf::actor spawn_audit(caf::actor_system& sys, std::shared_ptr<persistence::audit_log> log) {
  return sys.spawn<caf::detached>(audit_impl, std::move(log));
}

} // namespace trader::audit
