#pragma once
// Start-up gates on the trading mode, as pure functions: the daemon passes its flags, an
// environment lookup and (for the PAPER-time policy) what the state store recorded.

#include "runtime/config/trader_config.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace trader::config {

/// Looks up an environment variable; nullopt when unset. Production passes std::getenv.
using env_lookup = std::function<std::optional<std::string>(std::string_view name)>;

/// An env_lookup over the real process environment.
env_lookup process_env();

/// Whether the daemon may start in the configured mode, and with which read_only.
struct mode_decision {
  bool allowed = false;                      ///< false: refuse to start, print message, exit non-zero.
  trading_mode mode = trading_mode::dry_run; ///< The configured mode.
  bool read_only = true;                     ///< Effective read_only: true in every non-LIVE mode.
  std::string message;                       ///< Why, for the log (also set when allowed).
};

/// DRY_RUN/PAPER: allowed, read_only forced true (message says when it overrode false).
/// LIVE: refused with read_only = true; refused without confirm_live_flag or
/// TRADER_CONFIRM_LIVE=yes (exactly "yes", case-insensitive); otherwise allowed, read_only false.
mode_decision decide_mode(const app_section& app, bool confirm_live_flag, const env_lookup& env);

/// Outcome of the "LIVE only after N hours of PAPER with this config hash" policy.
struct paper_time_decision {
  bool allowed = true;               ///< false: refuse LIVE start.
  std::chrono::seconds remaining{0}; ///< PAPER time this hash still needs; 0 when allowed.
  std::string message;               ///< Names the hash and the time still needed.
};

/// Pure: `hash` is trading_hash(c) (mode, paths and endpoints excluded, so PAPER and LIVE
/// runs of the same trading settings match); `paper_runtime` is what the state store
/// recorded for that hash while running in PAPER mode.
/// Not LIVE, or live.min_paper_hours == 0: allowed. Otherwise allowed iff
/// paper_runtime >= min_paper_hours.
paper_time_decision check_paper_time(const trader_config& c, const std::string& hash,
                                     std::chrono::seconds paper_runtime);

} // namespace trader::config
