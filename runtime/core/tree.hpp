#pragma once
// DESIGN.md's supervision tree as data:
//   root (rest_for_one)
//   ├── infra (one_for_one): audit · alerting · state · latency · metrics
//   ├── exchange (one_for_one): rate_limiter · products · accounts · orders · fills · clock
//   │                           · market_data · user_stream
//   ├── trading (rest_for_one): universe · triggers · strategies · risk · order_lifecycle
//   ├── kill_switch (when control.kill_switch_file is set)
//   ├── scheduler
//   └── control
// A leaf is started only when a factory for its name is given (actors land issue by issue).

#include "runtime/core/child_spec.hpp"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace trader::core {

/// Settings of the tree from app.toml [runtime].
struct tree_options {
  restart_intensity intensity;                    ///< For every supervisor.
  std::chrono::milliseconds child_shutdown{5000};  ///< Per worker child.
};

/// Start function per leaf name, plus optional overrides of its restart type.
struct actor_factory {
  start_fn start;
  restart_type restart = restart_type::permanent;
  bool owns_trading_state = false;  ///< Copied to child_spec::owns_trading_state.
};
using actor_factories = std::map<std::string, actor_factory>;

/// The leaf names DESIGN.md places under each supervisor, in start order.
const std::vector<std::pair<std::string, std::vector<std::string>>>& design_layout();

/// Builds the root spec (escalation = safe_halt) from the layout and the factories given.
supervisor_spec build_tree(const tree_options& opts, const actor_factories& factories, const supervisor_env& env);

/// Human-readable rendering of a spec (for traderd --print-tree), marking leaves that have
/// no implementation yet.
std::string render_spec(const tree_options& opts, const actor_factories& factories);

} // namespace trader::core
