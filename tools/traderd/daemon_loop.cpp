#include "tools/traderd/daemon_loop.hpp"

#include "runtime/clock.hpp"
#include "runtime/config/mode_gate.hpp"
#include "runtime/core/atoms.hpp"
#include "runtime/core/health_board.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tools/traderd/daemon_metrics.hpp"
#include "tools/traderd/gate_store.hpp"
#include "tools/traderd/safe_halt.hpp"
#include "tools/traderd/signals.hpp"
#include "tools/traderd/startup.hpp"

#include <caf/all.hpp>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace trader::daemon {

namespace {

using std::chrono::steady_clock;

/// An actor that only answers liveness probes: when it answers, CAF's scheduler runs.
caf::behavior probe_only(caf::event_based_actor* self) { return {core::probe_handler(self)}; }

} // namespace

daemon_loop::daemon_loop(loop_deps deps)
  : d_(std::move(deps)),
    watchdog_(notify_.watchdog_interval().value_or(std::chrono::microseconds{0})),
    probe_(d_.sys->spawn(probe_only)),
    liveness_(core::spawn_liveness_monitor(*d_.sys, *d_.reg, *d_.health)),
    prober_(*d_.sys),
    status_every_(std::chrono::seconds(10), steady_clock::now()),
    readers_every_(std::chrono::minutes(1), steady_clock::now() + std::chrono::minutes(1)),
    runtime_(steady_clock::now()) {}

daemon_loop::~daemon_loop() {
  caf::anon_send_exit(probe_, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(liveness_, caf::exit_reason::user_shutdown);
}

std::string daemon_loop::status_line(const std::vector<health_report>& rows) const {
  std::string prefix = d_.halt && d_.halt->halted() ? "SAFE HALT " : "";
  return prefix + status_text(config::to_string(d_.boot->mode.mode), d_.gate->text(), rows, d_.ctx->store != nullptr,
                              d_.config->get()->hash);
}

bool daemon_loop::scheduler_answers() {
  bool ok = false;
  prober_->request(probe_, std::chrono::seconds(2), core::probe_atom::value)
    .receive([&](std::int64_t) { ok = true; }, [&](caf::error&) { ok = false; });
  return ok;
}

/// WATCHDOG=1 only while the tree runs, no actor is wedged and the scheduler answers; in a
/// safe halt while the scheduler answers (watchdog_healthy: the halt is deliberate, review #4).
void daemon_loop::keep_watchdog() {
  auto now = system_time_source::instance().mono_now();
  auto wedged = d_.health->wedged(d_.boot->config.runtime.wedge_limit_s * 1000);
  if (wedges_.changed(wedged)) {
    if (!wedged.empty())
      spdlog::critical("actor(s) wedged (no answer to liveness probes for > {} s): {}; watchdog pings stop",
                       d_.boot->config.runtime.wedge_limit_s, fmt::join(wedged, ","));
    else
      spdlog::warn("no actor is wedged any more");
  }
  bool halted = d_.halt && d_.halt->halted();
  if (halted_logged_ != halted) {
    halted_logged_ = halted;
    if (halted) {
      spdlog::critical("safe halt: the watchdog keeps pinging while CAF's scheduler answers, so systemd leaves the "
                       "halted daemon up for the operator (control socket, metrics)");
      notify_.status(status_line(d_.health->snapshot()));  // `systemctl status` says SAFE HALT now
    }
  }
  if (watchdog_healthy(d_.health->all_running(), wedged.empty(), scheduler_answers(), halted))
    watchdog_.healthy(now);
  else
    watchdog_.unhealthy(now);
  if (watchdog_.due(now)) {
    notify_.watchdog();
    watchdog_.ping_sent(now);
  }
}

void daemon_loop::raise_failure_alerts(const std::vector<health_report>& rows) {
  for (auto& a : failures_.observe(rows, system_time_source::instance().wall_now()))
    d_.reg->anon_send(names::alerting, std::move(a));
}

/// Reader slots of crashed processes (traderctl, a killed traderd) block page reuse.
void daemon_loop::check_readers(steady_time now) {
  if (!d_.ctx->store || !readers_every_.due(now))
    return;
  if (auto cleared = d_.ctx->store->check_readers(); !cleared)
    spdlog::error("state store: reader check failed: {}", cleared.error().describe());
  else if (*cleared > 0)
    spdlog::warn("state store: cleared {} stale reader slot(s)", *cleared);
}

/// PAPER and LIVE running time of this trading hash, for the PAPER-before-LIVE policy.
void daemon_loop::tick_runtime(steady_time now) {
  if (d_.boot->mode.mode == config::trading_mode::dry_run)
    return;
  if (auto secs = runtime_.take(now))
    d_.reg->anon_send(names::state, config_runtime{d_.boot->trading_hash, d_.boot->live(), secs});
}

void daemon_loop::run() {
  notify_.ready(status_line(d_.health->snapshot()));
  auto period = std::min<std::chrono::milliseconds>(
    std::chrono::milliseconds(1000), std::chrono::duration_cast<std::chrono::milliseconds>(watchdog_.check_period()));
  for (;;) {
    auto ev = wait_for_signal(period);
    if (ev == signal_event::stop) {
      spdlog::info("stop signal received: ordered shutdown");
      break;
    }
    if (ev == signal_event::kill) {
      // As `traderctl kill`: cancel every open order, then kill_switch on the gate (sticky,
      // persisted; risk raises the CRITICAL kill_switch alert and audits the gate change).
      spdlog::critical("SIGUSR1: KILL SWITCH engaged (cancels only until `traderctl resume kill_switch`)");
      d_.reg->anon_send(names::order_lifecycle, cancel_all{"kill switch: SIGUSR1"});
      auto at = system_time_source::instance().wall_now();
      if (!d_.reg->get(names::risk)) {  // safe halt: straight into the store, as `traderctl kill`
        auto w = persist_gate_reason(d_.ctx->store.get(), d_.ctx->store_error, gate_reason::kill_switch,
                                     "SIGUSR1 (risk not running)", at);
        if (w.ok)
          spdlog::critical("SIGUSR1: risk is not running; kill_switch written straight into the state store: {}",
                           w.detail);
        else
          spdlog::critical("SIGUSR1: risk is not running and the kill switch is NOT durable: {}", w.detail);
      }
      d_.reg->anon_send(names::risk,
                        raise_gate{gate_signal{gate_reason::kill_switch, true, "SIGUSR1", "signal SIGUSR1", at, {}}});
    }
    if (ev == signal_event::reload) {
      notify_.reloading();
      d_.reload();
      notify_.ready(status_line(d_.health->snapshot()));
    }
    keep_watchdog();
    auto rows = d_.health->snapshot();  // one snapshot per pass for every chore below
    d_.metrics->refresh(rows, d_.ctx->store.get(), d_.boot->config.app.state_dir, d_.reg->drop_counts());
    raise_failure_alerts(rows);
    auto now = steady_clock::now();
    check_readers(now);
    tick_runtime(now);
    if (status_every_.due(now))
      notify_.status(status_line(rows));
  }
  notify_.stopping("stopping: ordered shutdown");
}

} // namespace trader::daemon
