#pragma once
// traderd's start-up, one named stage per step, in the order run_traderd calls them:
//   load_and_gate → take_lock → open_audit → open_state → load_credentials → start_tree
//   → (LIVE) live_clock_ok → start_control → start_metrics
// Each stage logs why it refuses and hands back a resource or the exit code (stage.hpp).
// The main loop and the ordered stop are in daemon_loop.hpp.

#include "runtime/config/mode_gate.hpp"
#include "runtime/config/trader_config.hpp"
#include "runtime/core/tree.hpp"
#include "runtime/persistence/instance_lock.hpp"
#include "tools/traderd/actor_factories.hpp"
#include "tools/traderd/control_commands.hpp"
#include "tools/traderd/stage.hpp"

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace trader::core {
class health_board;
}
namespace trader::control {
class control_server;
}
namespace trader::net {
class api_key;
}

namespace trader::daemon {

class daemon_metrics;

/// A valid configuration and the mode it may run in.
struct boot_config {
  config::trader_config config;
  std::string hash;          ///< config_hash: 16 hex chars.
  std::string trading_hash;  ///< The hash the PAPER-before-LIVE policy counts time for.
  std::string dir;           ///< Where it was loaded from.
  config::mode_decision mode;
  bool live() const { return mode.mode == config::trading_mode::live; }
};

/// Loads and validates the configuration directory and decides the mode; exit_config when
/// either refuses (every config issue is logged).
staged<boot_config> load_and_gate(const daemon_options& opts);

/// --print-tree: the supervision tree with the actors built so far.
exit_code print_tree(const boot_config& boot);

/// One traderd per state directory; the kernel drops the lock if we crash. exit_unavailable
/// when another instance holds it.
staged<persistence::instance_lock> take_lock(const config::trader_config& cfg);

/// The audit log in log_dir/audit; exit_failure when it cannot be opened.
staged<std::shared_ptr<persistence::audit_log>> open_audit(const boot_config& boot);

/// Opens the store fail-closed into ctx.store: on any error the daemon runs without it and
/// the gate stays closed with state_unavailable; nothing stored is touched. At start only the
/// sticky reasons of the persisted gate survive (the rest are re-derived by their sources).
void open_state(const std::string& dir, daemon_context& ctx);

/// The exchange API key, or null (public market data only) outside LIVE; LIVE without a key
/// is exit_config.
staged<std::shared_ptr<const net::api_key>> load_credentials(const boot_config& boot);

/// The supervision tree, running. Stops in order (children in reverse start order) when
/// stop() is called or it is destroyed; killed if it overruns its shutdown budget.
class running_tree {
public:
  /// `on_root_died` runs (on a CAF thread) when the root supervisor goes down before stop():
  /// with it the whole tree is gone, and traderd must not go on as if it ran (safe halt).
  running_tree(caf::actor_system& sys, caf::actor root, std::chrono::milliseconds budget, core::registry& reg,
               std::function<void(const std::string& why)> on_root_died = {});
  running_tree(const running_tree&) = delete;
  running_tree& operator=(const running_tree&) = delete;
  ~running_tree();
  /// The ordered stop; idempotent. Drops to absent actors no longer raise alerts.
  void stop();

private:
  caf::actor_system& sys_;
  caf::actor root_;
  std::chrono::milliseconds budget_;
  core::registry& reg_;
  bool stopped_ = false;
  std::shared_ptr<std::atomic<bool>> stopping_ = std::make_shared<std::atomic<bool>>(false);
  caf::actor watcher_;  ///< Monitors root; calls on_root_died unless stop() began.
};

class safe_halt;

/// Spawns the tree (escalation = halt.trigger: the safe halt, safe_halt.hpp) and waits up to
/// 10 s for every actor with a factory to be registered; logs the tree either way. From then
/// on a send dropped because a safety actor is absent raises registry_drop (core::registry).
/// halt must outlive the tree.
std::unique_ptr<running_tree> start_tree(caf::actor_system& sys, core::registry& reg, core::health_board& health,
                                         const core::tree_options& opts, const core::actor_factories& factories,
                                         safe_halt& halt);

/// The control socket with traderd's commands, listening; exit_failure when it cannot bind.
staged<std::unique_ptr<control::control_server>> start_control(const control_context& ctx,
                                                               const config::trader_config& cfg);

/// /metrics when [metrics] enabled; exit_ok, or exit_failure when it cannot listen.
exit_code start_metrics(daemon_metrics& metrics, const config::trader_config& cfg);

} // namespace trader::daemon
