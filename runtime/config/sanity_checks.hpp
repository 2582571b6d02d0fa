#pragma once
// Checks across keys and files that a per-key schema cannot express. Each has a stable id
// and a severity; docs/configuration.md lists them.

#include "runtime/config/config_issue.hpp"
#include "runtime/config/trader_config.hpp"

#include <string>
#include <vector>

namespace trader::config {

/// A sanity check's id, severity and one-line description (for docs and tests).
struct sanity_check_info {
  const char* id;      ///< e.g. "STOP_LOSS_GE_TAKE_PROFIT".
  severity level;      ///< error blocks start; warning logs.
  const char* summary; ///< What it catches.
};

/// Every sanity check, in the order they run.
const std::vector<sanity_check_info>& sanity_checks();

/// Runs every check on c; appends one issue per finding, located via `where`.
void run_sanity_checks(const trader_config& c, const key_locations& where, std::vector<config_issue>& out);

} // namespace trader::config
