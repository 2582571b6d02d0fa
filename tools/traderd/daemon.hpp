#pragma once
// traderd's lifecycle: flags → config → mode gate → tree → wait for signals → ordered stop.

#include <string>

namespace trader::daemon {

/// Exit codes (sysexits-style; the systemd unit uses RestartPreventExitStatus=78).
enum exit_code : int {
  exit_ok = 0,
  exit_failure = 1,       ///< Unexpected failure; systemd may restart.
  exit_usage = 64,        ///< Bad command line.
  exit_unavailable = 69,  ///< Another instance holds the state directory.
  exit_config = 78,       ///< Invalid configuration or refused mode: do not restart.
};

struct daemon_options {
  std::string config_dir = "config";
  bool confirm_live = false;
  bool print_tree = false;
  std::string log_level = "info";
  std::string record_market_dir;  ///< --record-market: the feed's public trades and risk's tape here ("" = off).
};

/// Runs traderd until SIGTERM/SIGINT (or the tree stops) and returns the exit code.
int run_traderd(const daemon_options& opts);

} // namespace trader::daemon
