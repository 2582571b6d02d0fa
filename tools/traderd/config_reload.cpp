#include "tools/traderd/config_reload.hpp"

#include "messages/ops.hpp"
#include "runtime/config/loader.hpp"
#include "runtime/config/reload.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/audit_log.hpp"

#include <caf/all.hpp>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

namespace trader::daemon {

void log_config_issues(const config::load_result& r) {
  for (auto& issue : r.issues)
    spdlog::log(issue.level == config::severity::error ? spdlog::level::err : spdlog::level::warn, "config: {}",
                config::render(issue));
}

reload_outcome reload_config(config_holder& holder, persistence::audit_log* audit, core::registry& reg,
                             const std::function<void(const std::string&)>& on_applied) {
  reload_outcome out;
  auto running = holder.get();
  out.old_hash = running->hash;
  spdlog::info("reload requested dir={}", running->dir);
  auto r = config::load_config_dir(running->dir);
  log_config_issues(r);
  for (auto& issue : r.issues)
    if (issue.level == config::severity::error)
      out.problems.push_back(config::render(issue));
  if (!r.ok()) {
    out.message = "reload rejected: " + std::to_string(r.errors()) + " error(s); running config " + running->hash
                  + " stays";
    spdlog::error("{}", out.message);
    return out;
  }
  auto plan = config::plan_reload(running->config, *r.config);
  out.new_hash = plan.new_hash;
  out.changed_sections = plan.changed_sections;
  if (!plan.accepted) {
    for (auto& refusal : plan.refusals) {
      spdlog::error("reload rejected: {}", refusal.message);
      out.problems.push_back(refusal.message);
    }
    out.message = "reload rejected: settings that cannot change at runtime differ";
    return out;
  }
  if (!plan.changed) {
    out.message = "no change";
    spdlog::info("reload: no change (hash {})", running->hash);
    return out;
  }
  holder.swap(config_snapshot{*r.config, r.hash, running->dir});
  if (audit) {
    audit->set_config_hash(r.hash);
    auto appended = audit->append("config", "traderd",
                                  nlohmann::json{{"event", "reload"}, {"old_hash", plan.old_hash},
                                                 {"new_hash", plan.new_hash}, {"sections", plan.changed_sections}});
    if (!appended)
      spdlog::error("audit log: {}", appended.error().describe());
  }
  for (auto& name : plan.affected_actors)
    if (auto a = reg.get(name))
      caf::anon_send(a, config_changed{r.hash, plan.changed_sections});
  if (on_applied)
    on_applied(r.hash);
  out.applied = true;
  out.message = "applied";
  spdlog::info("reload applied old_hash={} new_hash={} sections={}", plan.old_hash, plan.new_hash,
               fmt::join(plan.changed_sections, ","));
  return out;
}

} // namespace trader::daemon
