#pragma once
// The state actor's periodic re-verify, without CAF: every `interval` it starts a verify
// of the live store in a helper process (verify_process: posix_spawn of `traderctl state
// verify --child`, never fork() from the threaded daemon) and polls it without blocking.
// A healthy store verifies while traderd keeps writing (LMDB readers never block the
// writer); a damaged one closes the gate (the actor poisons the store and fails closed).

#include "runtime/persistence/verify.hpp"
#include "runtime/persistence/verify_spawn.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace trader::state {

/// How often and with what the store is re-verified.
struct reverify_options {
  std::chrono::seconds interval{3600};  ///< 0 = never (only the verify at open).
  std::string helper;                   ///< traderctl path; empty = next to this executable.
  /// The defaults, with $TRADER_STATE_VERIFY_INTERVAL_S (seconds, 0 = off) when set.
  static reverify_options from_env();
};

/// One step's news.
struct reverify_step {
  std::optional<persistence::verify_report> finished;  ///< A verify that just ended.
  std::chrono::milliseconds took{0};                    ///< Its wall time.
  std::string cannot_run;                                ///< Why no verify could be started.
  std::chrono::milliseconds next{0};                     ///< Call step() again after this.
};

/// Starts and polls the periodic verify of one state directory.
class store_reverifier {
public:
  store_reverifier(std::string dir, reverify_options opts);
  /// Starts a verify when none runs, else polls the running one. Call it when the previous
  /// step's `next` has passed (the first time one interval after the store was opened).
  reverify_step step();
  /// True while a verify runs.
  bool running() const { return proc_.has_value(); }
  const reverify_options& options() const { return opts_; }

private:
  std::string dir_;
  reverify_options opts_;
  std::optional<persistence::verify_process> proc_;
  std::chrono::steady_clock::time_point started_;
};

} // namespace trader::state
