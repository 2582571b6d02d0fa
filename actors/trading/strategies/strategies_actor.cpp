#include "actors/trading/strategies/strategies_actor.hpp"

#include "actors/trading/signals/triggers.hpp"

#include "runtime/clock.hpp"
#include "runtime/core/liveness.hpp"
#include "runtime/core/names.hpp"
#include "runtime/core/registry.hpp"
#include "runtime/core/type_ids.hpp"
#include "runtime/metrics/actor_metrics.hpp"

#include <caf/all.hpp>
#include <nlohmann/json.hpp>
#include <prometheus/counter.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

namespace trader::strategies {

namespace {

using nlohmann::json;

struct strategies_stats {
  explicit strategies_stats(const metrics::actor_metrics& m)
    : proposals(m.counters("proposals_total", "Proposals sent to risk, by strategy.", {{"strategy", {}}}, 32)),
      verdicts(m.counters("verdicts_total", "Risk's answers, by outcome (approved, rejected, failed).",
                          {{"outcome", {"approved", "rejected", "failed"}}}, 8)),
      abandoned(m.counter("cycles_abandoned_total", "Cycles abandoned past loop.cycle_budget_s.")),
      portfolio_unavailable(m.counter("portfolio_unavailable_total",
                                      "Cycles that proposed nothing because get_portfolio failed (fail closed).")),
      reloads_refused(m.counter("reloads_refused_total", "Configuration reloads refused (old strategies kept).")),
      no_trade(prometheus::BuildCounter()
                 .Name("trader_no_trade_total")
                 .Help("Decision cycles (or proposals) that produced no trade, by reason.")
                 .Register(m.registry())) {}
  metrics::labelled<prometheus::Counter> proposals;
  metrics::labelled<prometheus::Counter> verdicts;
  prometheus::Counter& abandoned;
  prometheus::Counter& portfolio_unavailable;
  prometheus::Counter& reloads_refused;
  prometheus::Family<prometheus::Counter>& no_trade;
};

struct strategies_state {
  options opts;
  core::registry* reg = nullptr;
  std::unique_ptr<signals::strategy_registry> registry;
  json last = json::object();
  std::unique_ptr<strategies_stats> stats;
  /// Switched off at runtime (set_strategy_enabled, e.g. drift) on top of the configuration.
  std::map<std::string, std::string> disabled;  ///< name → why
  static inline const char* name = names::strategies;
};

using self_ptr = caf::stateful_actor<strategies_state>*;

ts_ns now_of(self_ptr self) {
  return self->state.opts.now ? self->state.opts.now() : system_time_source::instance().wall_now();
}

void no_trade(self_ptr self, const signal_batch& b, const std::string& reason, const json& notes) {
  auto& st = self->state;
  if (st.stats)
    st.stats->no_trade.Add({{"reason", reason}}).Increment();
  json j{{"cycle", b.cycle}, {"reason", reason}, {"regime", b.regime}, {"notes", notes}};
  st.reg->send(self, names::audit, audit_entry{"no_trade", names::strategies, j.dump()});
}

/// A proposal for the audit log and traderctl strategies.
json proposal_json(const trade_proposal& p) {
  return {{"proposal_id", p.proposal_id}, {"strategy", p.strategy}, {"product", p.product.value},
          {"side", "buy"}, {"kind", "open"}, {"target", p.target.to_double()}, {"limit_px", p.limit_px.to_double()},
          {"confidence", p.confidence}, {"stop_loss_pct", p.exits.stop_loss_pct},
          {"take_profit_pct", p.exits.take_profit_pct}, {"stop_loss_atr", p.exits.stop_loss_atr},
          {"take_profit_atr", p.exits.take_profit_atr}, {"atr", p.exits.atr.to_double()},
          {"trigger_ids", p.trigger_ids}, {"regime", p.regime}, {"rationale", p.rationale}, {"cycle", p.cycle},
          {"ts", p.ts}};
}

void ask_risk(self_ptr self, const trade_proposal& p) {
  auto& st = self->state;
  if (st.stats)
    st.stats->proposals[p.strategy].Increment();
  st.reg->send(self, names::audit, audit_entry{"proposal", names::strategies, proposal_json(p).dump()});
  spdlog::info("strategies: proposal {} {} {} {:.2f} conf={:.2f}: {}", p.proposal_id, p.strategy, p.product.value,
               p.target.to_double(), p.confidence, p.rationale);
  auto id = p.proposal_id;
  st.reg->request(self, names::risk, st.opts.risk_timeout, p)
    .then(
      [=](const risk_verdict& v) {
        auto& st = self->state;
        if (st.stats)
          st.stats->verdicts[v.approved ? "approved" : "rejected"].Increment();
        json rej = json::array();
        for (const auto& r : v.rejections)
          rej.push_back(r.check + ": " + r.detail);
        st.last["verdicts"][id] = {{"approved", v.approved}, {"rejections", rej}};
        // A rejection is counted in trader_no_trade_total by risk, under its check id.
      },
      [=](caf::error& e) {
        auto& st = self->state;
        if (st.stats)
          st.stats->verdicts["failed"].Increment();
        st.last["verdicts"][id] = {{"approved", false}, {"error", to_string(e)}};
        spdlog::warn("strategies: risk did not answer proposal {}: {}", id, to_string(e));
      });
}

/// Fail closed: without the current positions no strategy runs (it could add to a position
/// or pass max_positions unseen); the cycle records portfolio_unavailable.
void portfolio_unavailable(self_ptr self, const signal_batch& b, const std::string& why) {
  auto& st = self->state;
  if (st.stats)
    st.stats->portfolio_unavailable.Increment();
  spdlog::warn("strategies: cycle {} proposes nothing: positions unknown ({})", b.cycle, why);
  st.last = {{"cycle", b.cycle}, {"ts", now_of(self)}, {"regime", b.regime}, {"strategies", st.registry->enabled()},
             {"proposals", json::array()}, {"no_trade_reason", "portfolio_unavailable"},
             {"notes", json::array({why})}, {"verdicts", json::object()}};
  no_trade(self, b, "portfolio_unavailable", json::array({why}));
}

void run_cycle(self_ptr self, const signal_batch& b, const std::vector<position_state>& positions) {
  auto& st = self->state;
  const auto t0 = std::chrono::steady_clock::now();
  const auto now = now_of(self);
  const auto budget = std::chrono::duration_cast<std::chrono::nanoseconds>(st.opts.cycle_budget).count();
  if (b.tick_ts > 0 && now - b.tick_ts > budget) {
    if (st.stats)
      st.stats->abandoned.Increment();
    alert a;
    a.type = "cycle_overrun";
    a.level = severity::warning;
    a.source = names::strategies;
    a.title = "Decision cycle " + std::to_string(b.cycle) + " abandoned";
    a.detail = "took " + std::to_string((now - b.tick_ts) / 1'000'000) + " ms, budget " +
               std::to_string(budget / 1'000'000) + " ms";
    a.ts = now;
    st.reg->send(self, names::alerting, a);
    no_trade(self, b, "cycle_overrun", json::array({a.detail}));
    return;
  }
  auto r = st.registry->run(b, positions, now, st.opts.id_prefix);
  json notes = r.notes;
  st.last = {{"cycle", b.cycle}, {"ts", now}, {"regime", b.regime}, {"strategies", st.registry->enabled()},
             {"proposals", json::array()}, {"no_trade_reason", r.no_trade_reason}, {"notes", notes},
             {"verdicts", json::object()}};
  for (const auto& p : r.proposals)
    st.last["proposals"].push_back(proposal_json(p));
  if (r.proposals.empty())
    no_trade(self, b, r.no_trade_reason, notes);
  for (const auto& p : r.proposals)
    ask_risk(self, p);
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0);
  st.reg->send(self, names::latency, latency_sample{"cycle.strategies", ns.count(), true, b.tick_ts});
}

/// The registry of the configured strategies, minus those switched off at runtime.
std::unique_ptr<signals::strategy_registry> make_registry(const strategies_state& st) {
  auto params = st.opts.strategies;
  for (auto& p : params)
    if (st.disabled.count(p.name))
      p.enabled = false;
  return std::make_unique<signals::strategy_registry>(std::move(params), st.opts.ensemble, st.opts.correlation);
}

void on_set_enabled(self_ptr self, const set_strategy_enabled& m) {
  auto& st = self->state;
  const bool known = std::any_of(st.opts.strategies.begin(), st.opts.strategies.end(),
                                 [&](const signals::strategy_params& p) { return p.name == m.strategy; });
  if (!known) {
    spdlog::warn("strategies: {} asked to switch unknown strategy {}", m.by, m.strategy);
    return;
  }
  const bool changed = m.enabled ? st.disabled.erase(m.strategy) > 0 : st.disabled.emplace(m.strategy, m.reason).second;
  if (!changed)
    return;
  st.registry = make_registry(st);
  spdlog::warn("strategies: {} {} by {}: {}", m.strategy, m.enabled ? "switched back on" : "switched off", m.by,
               m.reason);
  json j{{"strategy", m.strategy}, {"enabled", m.enabled}, {"reason", m.reason}, {"by", m.by},
         {"running", st.registry->enabled()}};
  st.reg->send(self, names::audit, audit_entry{"strategy_switch", names::strategies, j.dump()});
}

void on_config_changed(self_ptr self, const config_changed& c) {
  auto& st = self->state;
  if (!st.opts.reload)
    return;
  auto next = st.opts.reload();
  auto error = next.error.empty() ? check_strategies(next.strategies) : next.error;
  if (!error.empty()) {
    if (st.stats)
      st.stats->reloads_refused.Increment();
    spdlog::error("strategies: reload {} refused, the running strategies stay: {}", c.hash, error);
    json j{{"event", "reload_refused"}, {"hash", c.hash}, {"error", error}};
    st.reg->send(self, names::audit, audit_entry{"config", names::strategies, j.dump()});
    return;
  }
  st.opts.strategies = std::move(next.strategies);
  st.opts.ensemble = next.ensemble;
  st.opts.correlation = next.correlation;
  st.opts.cycle_budget = next.cycle_budget;
  st.registry = make_registry(st);
  spdlog::info("strategies: reloaded (config {}), enabled: {}", c.hash, json(st.registry->enabled()).dump());
}

caf::behavior strategies_impl(self_ptr self, core::registry* reg, options opts) {
  auto& st = self->state;
  st.opts = std::move(opts);
  st.reg = reg;
  if (st.opts.id_prefix.empty())
    st.opts.id_prefix = "p" + std::to_string(system_time_source::instance().wall_now() / 1'000'000);
  st.registry = make_registry(st);
  if (st.opts.metrics)
    st.stats = std::make_unique<strategies_stats>(metrics::actor_metrics(*st.opts.metrics, names::strategies));
  return {
    [=](const signal_batch& b) {
      auto ol = self->state.reg->get(names::order_lifecycle);
      if (!ol)
        return portfolio_unavailable(self, b, "order_lifecycle is not running");
      self->request(ol, self->state.opts.portfolio_timeout, get_portfolio{})
        .then([=](const portfolio_update& u) { run_cycle(self, b, u.positions); },
              [=](caf::error& e) { portfolio_unavailable(self, b, "get_portfolio failed: " + to_string(e)); });
    },
    [=](const get_strategies&) {
      auto j = self->state.last;
      j["disabled_at_runtime"] = self->state.disabled;
      return j.dump();
    },
    [=](const set_strategy_enabled& m) { on_set_enabled(self, m); },
    [=](const config_changed& c) { on_config_changed(self, c); },
    core::probe_handler(self),
  };
}

} // namespace

std::string check_strategies(const std::vector<signals::strategy_params>& s) {
  std::set<std::string> names;
  for (const auto& p : s) {
    if (!names.insert(p.name).second)
      return "strategy " + p.name + " is defined twice";
    if (!p.enabled)
      continue;
    if (p.kind != "rules" && p.kind != "rsi_reversion")
      return "strategy " + p.name + ": unknown kind '" + p.kind + "'";
    using signals::trigger_id;
    bool known = false;
    for (auto id : {trigger_id::breakout, trigger_id::momentum, trigger_id::volume_spike, trigger_id::rsi_reversion,
                    trigger_id::atr_breakout})
      known = known || signals::name(id) == p.trigger;
    if (p.kind == "rules" && !known)
      return "strategy " + p.name + ": unknown trigger '" + p.trigger + "'";
  }
  return {};
}

caf::actor spawn_strategies(caf::actor_system& sys, core::registry& reg, options opts) {
  return sys.spawn(strategies_impl, &reg, std::move(opts));
}

} // namespace trader::strategies
