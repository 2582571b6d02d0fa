// Issue 19's actors: drift at the end of the trading subtree ([drift] of strategies.toml and
// the baseline read from [drift] baseline_file, a backtest run report, at every (re)start),
// and with --record-market the recorder in infra.

#include "tools/traderd/actor_factories.hpp"

#include "actors/infra/recorder/recorder_actor.hpp"
#include "actors/trading/drift/drift_actor.hpp"
#include "runtime/core/names.hpp"

#include <caf/actor.hpp>
#include <spdlog/spdlog.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace trader::daemon {

namespace {

drift::options drift_options_of(const config::trader_config& c) {
  const auto& d = c.drift;
  drift::options o;
  o.enabled = d.enabled;
  o.policy.window_trades = static_cast<std::size_t>(d.window_trades);
  o.policy.min_trades = static_cast<std::size_t>(d.min_trades);
  o.policy.win_rate_drop_pct = d.win_rate_drop_pct;
  o.policy.profit_factor_drop_pct = d.profit_factor_drop_pct;
  o.policy.sharpe_drop = d.sharpe_drop;
  o.policy.ks_alpha = d.ks_alpha;
  o.policy.alert_cooldown_s = static_cast<std::int64_t>(std::llround(d.alert_cooldown_h * 3600.0));
  o.policy.disable_on_critical = d.disable_on_critical;
  o.poll = std::chrono::milliseconds{static_cast<std::int64_t>(std::llround(d.poll_s * 1000.0))};
  o.baseline_file = d.baseline_file;
  if (d.enabled && !d.baseline_file.empty()) {
    std::ifstream in(d.baseline_file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto b = in ? drift::baselines_from_report(text.str()) : drift::baseline_load{{}, "unreadable"};
    if (!b.error.empty()) {
      o.baseline_error = d.baseline_file + ": " + b.error;
      spdlog::error("drift: baseline {} not used ({}): every strategy reports no_baseline", d.baseline_file, b.error);
    }
    o.baselines = std::move(b.baselines);
  }
  return o;
}

} // namespace

void add_drift_factories(core::actor_factories& f, const daemon_context& ctx) {
  if (!ctx.record_market_dir.empty())
    f[names::recorder] = {[ctx](caf::actor_system& sys) {
      recorder::recorder_options o;
      o.dir = ctx.record_market_dir;
      return recorder::spawn_recorder(sys, *ctx.reg, std::move(o), ctx.metrics);
    }};
  f[names::drift] = {[ctx](caf::actor_system& sys) {
    auto snap = ctx.config->get();
    auto o = drift_options_of(snap->config);
    o.metrics = ctx.metrics;
    return drift::spawn_drift(sys, *ctx.reg, std::move(o));
  }};
}

} // namespace trader::daemon
