#pragma once
// Hot reload as a pure decision: compare the running config with a fully validated
// candidate, list what changed, and refuse keys that cannot change while running.

#include "runtime/config/loader.hpp"
#include "runtime/config/trader_config.hpp"

#include <filesystem>

#include <string>
#include <vector>

namespace trader::config {

/// One setting that differs but cannot change at runtime.
struct reload_refusal {
  std::string key; ///< Dotted key, e.g. "app.mode".
  std::string
    message; ///< "app.mode cannot change at runtime (running DRY_RUN, file says LIVE); restart traderd".
};

/// What applying `candidate` over `running` would do.
struct reload_plan {
  bool accepted = false;                     ///< true: swap, log new_hash, notify affected_actors.
  bool changed = false;                      ///< false: candidate equals running (nothing to do).
  std::vector<std::string> changed_sections; ///< Sorted section names, e.g. "risk", "themes".
  std::vector<std::string> changed_keys;     ///< Sorted dotted keys whose value differs.
  std::vector<std::string> affected_actors;  ///< Sorted registry names that read a changed section.
  std::vector<reload_refusal> refusals;      ///< Non-empty iff !accepted.
  std::string old_hash;                      ///< config_hash(running).
  std::string new_hash;                      ///< config_hash(candidate).
};

/// Pure. accepted iff no non-reloadable key (app.*, live.*, runtime.*, exchange.*,
/// metrics.listen, control.socket; see docs/configuration.md, column "reload") differs.
reload_plan plan_reload(const trader_config& running, const trader_config& candidate);

/// A reload request end to end: load DIR, validate it fully, plan against the running config.
struct reload_outcome {
  load_result loaded;   ///< The candidate and every issue found in it.
  reload_plan plan;     ///< Meaningful only when loaded.ok().
  bool apply = false;   ///< true: swap to *loaded.config atomically, log plan.new_hash, notify plan.affected_actors.
  std::string summary;  ///< One line for the log and the traderctl reply.
};

/// What SIGHUP / `traderctl reload` do: invalid config → apply false, errors in loaded.issues
/// (the running config stays); refusals → apply false; unchanged → apply false, "no change".
reload_outcome prepare_reload(const trader_config& running, const std::filesystem::path& dir);

} // namespace trader::config
