// The trading subtree: risk, then order_lifecycle (rest_for_one: a risk restart restarts it);
// universe, triggers and strategies land issue by issue (core::render_spec marks them "not
// built yet").

#include "tools/traderd/actor_factories.hpp"

#include "actors/infra/recorder/risk_tape.hpp"
#include "actors/infra/state/gate_records.hpp"
#include "actors/trading/order_lifecycle/order_lifecycle_actor.hpp"
#include "actors/trading/order_lifecycle/paper_start.hpp"
#include "actors/trading/risk/policy_from_config.hpp"
#include "actors/trading/risk/risk_actor.hpp"
#include "runtime/clock.hpp"
#include "runtime/core/names.hpp"
#include "runtime/persistence/state_store.hpp"
#include "tools/simex/paper/paper_venue_actor.hpp"

#include <caf/actor.hpp>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string_view>

namespace trader::daemon {

namespace {

/// The gate a (re)started risk actor begins with: `startup`, the reasons that survive a
/// restart as the store holds them (sticky ones, order_timeout, actor_lost_state), and
/// state_unavailable when the store is absent, unreadable or has failed at run time (review
/// row #1). Never open. Every other reason is rebuilt from the sources, which the new risk
/// asks at once.
risk::trading_gate initial_gate(const daemon_context& ctx) {
  auto now = system_time_source::instance().wall_now();
  auto gate = risk::trading_gate::closed_at_start(now);
  if (!ctx.store) {
    gate.apply(gate_signal{gate_reason::state_unavailable, true, ctx.store_error, "traderd", now, {}});
    return gate;
  }
  if (auto failed = ctx.store->failure())
    gate.apply(gate_signal{gate_reason::state_unavailable, true, "store refuses writes: " + failed->describe(), "traderd",
                           now, {}});
  auto persisted = ctx.store->get_gate();
  if (!persisted) {
    gate.apply(gate_signal{gate_reason::state_unavailable, true, "reading the gate: " + persisted.error().describe(),
                           "traderd", now, {}});
  } else if (*persisted) {
    for (auto& s : state::to_signals(**persisted))
      if (risk::trading_gate::survives_restart(s.reason))
        gate.apply(s);
  }
  return gate;
}

/// risk's options from the configuration current at (re)start: the policy, the store of
/// pacing, protective exits and loss limits, metrics.
risk::risk_options risk_options_of(const daemon_context& ctx) {
  risk::risk_options o;
  o.policy = risk::policy_from_config(ctx.config->get()->config);
  o.policy_source = [config = ctx.config] { return risk::policy_from_config(config->get()->config); };
  o.store = risk::make_risk_store(ctx.store, ctx.store_error);
  o.metrics = ctx.metrics;
  o.clear_startup_on_reconcile = ctx.config->get()->config.app.mode != config::trading_mode::dry_run;
  return o;
}

/// PAPER's simulated account at daemon start: the ledger's coins and cash from the stored
/// fills (docs/orders.md "PAPER"), execution.paper_starting_cash on a fresh store.
simex::paper_options paper_start_options(const daemon_context& ctx) {
  simex::paper_options p;
  const auto starting = notional::from_double(ctx.config->get()->config.execution.paper_starting_cash);
  p.starting_cash = starting;
  if (!ctx.store)
    return p;  // order_lifecycle holds state_unavailable: nothing trades
  auto fills = ctx.store->list<persistence::fill_record>();
  if (!fills) {
    spdlog::error("traderd: PAPER starts from {} USD: the stored fills cannot be read: {}", to_string(starting),
                  fills.error().describe());
    return p;
  }
  auto h = order_lifecycle::paper_holdings_from(*fills, starting);
  if (!h.problems.empty())
    spdlog::warn("traderd: PAPER account from the ledger: {}", h.problems);
  p.starting_cash = h.cash;
  for (auto& [currency, qty] : h.coins)
    p.coins.emplace_back(currency, qty);
  spdlog::info("traderd: PAPER account starts with {} USD and {} coin balance(s) from {} stored fill(s)",
               to_string(h.cash), h.coins.size(), fills->size());
  return p;
}

/// order_lifecycle's options from the configuration current at (re)start. Orders are sent only
/// in LIVE with read_only = false (the same rule as the orders endpoint); DRY_RUN audits
/// intents; PAPER sends them to the local fill simulator (add_trading_factories).
order_lifecycle::actor_options order_lifecycle_options(const daemon_context& ctx) {
  auto cfg = ctx.config->get()->config;
  order_lifecycle::actor_options o;
  o.book.mode = config::to_string(cfg.app.mode);
  o.book.send_orders = cfg.app.mode == config::trading_mode::live && !cfg.app.read_only;
  o.book.ttl.ttl_ns = cfg.execution.limit_order_ttl_s * ns_per_s;
  o.taker_fallback = cfg.execution.allow_taker_fallback;
  o.balance_tolerance = size::from_double(cfg.execution.balance_tolerance);
  switch (cfg.execution.unknown_order_policy) {
    case config::unknown_order_action::cancel: o.on_unknown_order = order_lifecycle::unknown_order_policy::cancel; break;
    case config::unknown_order_action::adopt: o.on_unknown_order = order_lifecycle::unknown_order_policy::adopt; break;
    case config::unknown_order_action::alert_only:
      o.on_unknown_order = order_lifecycle::unknown_order_policy::alert;
      break;
  }
  o.store = order_lifecycle::make_store_backend(ctx.store, ctx.store_error);
  o.metrics = ctx.metrics;
  // Test hook: TRADER_TEST_HOOKS=1 and TRADER_TEST_ABORT_AT=after_write_ahead abort traderd
  // between an intent's write-ahead and its send (the kill -9 system test).
  auto env = [](const char* k) {
    auto* v = std::getenv(k);  // NOLINT(concurrency-mt-unsafe): we never setenv, reads are safe
    return std::string_view{v ? v : ""};
  };
  o.abort_after_write_ahead = env("TRADER_TEST_HOOKS") == "1" && env("TRADER_TEST_ABORT_AT") == "after_write_ahead";
  return o;
}

} // namespace

void add_trading_factories(core::actor_factories& f, const daemon_context& ctx) {
  // --record-market: risk's tape beside the market recording (backtest replay), one writer for
  // the process so a restarted risk goes on appending to it.
  std::shared_ptr<recorder::risk_tape> tape;
  if (!ctx.record_market_dir.empty()) {
    recorder::rotating_log_options o;
    o.dir = ctx.record_market_dir;
    tape = std::make_shared<recorder::risk_tape>(std::move(o));
  }
  f[names::risk] = {[ctx, tape](caf::actor_system& sys) {
    auto o = risk_options_of(ctx);
    if (tape) {
      const auto cfg = ctx.config->get();
      tape->set_config(cfg->dir, cfg->hash);
      o.tape = tape;
    }
    return risk::spawn_risk(sys, *ctx.reg, initial_gate(ctx), ctx.on_gate, risk::default_gate_sources(), std::move(o));
  }};
  // PAPER: one simulated account (simex's engine fed with live quotes) for the process's
  // lifetime, so a restarted order_lifecycle finds its paper orders where it left them.
  std::shared_ptr<simex::shared_paper_venue> paper;
  if (ctx.config->get()->config.app.mode == config::trading_mode::paper)
    paper = std::make_shared<simex::shared_paper_venue>(paper_start_options(ctx));
  f[names::order_lifecycle] = {[ctx, paper](caf::actor_system& sys) {
    auto o = order_lifecycle_options(ctx);
    if (paper) {
      o.book.send_orders = true;  // to the simulator: nothing reaches the exchange
      o.venue = [paper, reg = ctx.reg](caf::event_based_actor* self) {
        return simex::spawn_paper_venue(self, *reg, paper, [] { return system_time_source::instance().wall_now(); });
      };
    }
    // Shadow mode: the same creates through a simulator of their own (a fresh account per
    // start: only the comparison matters, nothing is booked from it).
    if (ctx.config->get()->config.execution.shadow_mode && o.book.send_orders)
      o.shadow_venue = [reg = ctx.reg](caf::event_based_actor* self) {
        return simex::spawn_paper_venue(self, *reg, std::make_shared<simex::shared_paper_venue>(simex::paper_options{}),
                                        [] { return system_time_source::instance().wall_now(); });
      };
    return order_lifecycle::spawn_order_lifecycle(sys, *ctx.reg, std::move(o));
  }};
  // The sole owner of order state: an abnormal death raises actor_lost_state.
  f[names::order_lifecycle].owns_trading_state = true;
}

} // namespace trader::daemon
