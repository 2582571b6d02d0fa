#include "tools/backtest/replay/risk_replayer.hpp"

#include "actors/infra/audit/decision_stream.hpp"
#include "actors/trading/risk/intent_json.hpp"
#include "actors/trading/risk/risk_step.hpp"
#include "messages/names.hpp"

#include <nlohmann/json.hpp>

#include <type_traits>

namespace trader::backtest {

risk_replayer::risk_replayer(risk::risk_policy policy) : policy_(std::move(policy)) {}

void risk_replayer::start(const recorder::tape_start& s, ts_ns now) {
  // risk_impl: the gate it was spawned with; start_trading: a fresh desk, the restored parts.
  gate_ = risk::trading_gate{};
  for (const auto& r : s.gate)
    gate_.apply(gate_signal{r.reason, true, r.detail, r.source, r.since, r.product});
  clear_startup_ = s.clear_startup_on_reconcile;
  desk_ = std::make_unique<risk::risk_desk>(policy_);
  if (auto p = risk::pacing_state::from_json(s.pacing))
    desk_->pacing() = *p;
  if (auto x = risk::protective_exits::from_json(s.exits))
    desk_->exits() = *x;
  if (!s.plans.empty())
    desk_->restore_plans(s.plans);
  if (auto b = risk::pyramid_book::from_json(s.pyramid))
    desk_->pyramid() = *b;
  if (auto l = risk::loss_limits::from_json(s.loss, {policy_.daily_stop_pct, policy_.weekly_stop_pct,
                                                     policy_.max_drawdown_pct}))
    desk_->loss() = *l;
  auto step = risk::risk_step{*desk_, gate_};
  if (auto active = step.restored_loss(now); !active.empty())
    step.hold_loss(active, now);
}

void risk_replayer::refresh_loss(ts_ns now) {
  if (auto s = desk_->update_loss(now))
    risk::risk_step{*desk_, gate_}.hold_loss(s->active, now);
}

std::string risk_replayer::proposal(const trade_proposal& p, ts_ns now) {
  // risk_trading.cpp on_proposal: the same step and the same audit payload.
  auto ev = risk::risk_step{*desk_, gate_}.proposal(p, now);
  return *audit::decision_line("risk_verdict",
                               risk::verdict_json(p, ev, gate_.is_open(), desk_->engine().policy()));
}

void risk_replayer::portfolio(const portfolio_update& u, ts_ns now) {
  // risk_trading.cpp on_portfolio.
  risk::risk_step{*desk_, gate_}.portfolio(u, clear_startup_, now);
  refresh_loss(now);
}

std::vector<std::string> risk_replayer::on_quote(const quote& q, ts_ns now) {
  // risk_trading.cpp on_quote and fire_exit.
  std::vector<std::string> out;
  auto r = risk::risk_step{*desk_, gate_}.on_quote(q, now);
  if (!r.held)
    return out;
  if (r.exit && r.gate.allowed) {
    nlohmann::json j{{"kind", std::string{risk::name(r.exit->kind)}},
                     {"sent", true},
                     {"intent", risk::intent_json(r.exit->intent)}};
    out.push_back(*audit::decision_line("risk_exit", j));
  }
  refresh_loss(now);
  return out;
}

void risk_replayer::resume(const resume_gate& r, ts_ns now) {
  // risk_ledger.cpp before_resume, then the gate's resume (risk_actor.cpp).
  if (risk::risk_step{*desk_, gate_}.before_resume(r.reason, now))
    risk::risk_step{*desk_, gate_}.hold_loss(desk_->loss().active(now), now);
  gate_.resume(r.reason, r.force, now);
}

std::vector<std::string> risk_replayer::apply(const recorder::tape_event& e) {
  using namespace recorder;
  const ts_ns now = e.t;
  if (const auto* s = std::get_if<tape_start>(&e.what)) {
    start(*s, now);
    return {};
  }
  if (!desk_)
    return {};
  std::vector<std::string> out;
  std::visit(
    [&](const auto& x) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, trade_proposal>)
        out.push_back(proposal(x, now));
      else if constexpr (std::is_same_v<T, portfolio_update>)
        portfolio(x, now);
      else if constexpr (std::is_same_v<T, quote>)
        out = on_quote(x, now);
      else if constexpr (std::is_same_v<T, book_update>)
        desk_->on_book(x);
      else if constexpr (std::is_same_v<T, tape_drop_book>)
        desk_->drop_book(x.product);
      else if constexpr (std::is_same_v<T, product_status>)
        desk_->on_status(x);
      else if constexpr (std::is_same_v<T, tape_products>)
        desk_->on_products(x.products);
      else if constexpr (std::is_same_v<T, fee_tier>)
        desk_->on_fee_tier(x);
      else if constexpr (std::is_same_v<T, tape_clock>)
        desk_->on_clock_offset(x.offset_ns);
      else if constexpr (std::is_same_v<T, gate_conditions> || std::is_same_v<T, gate_signal>)
        gate_.apply(x);  // two overloads
      else if constexpr (std::is_same_v<T, resume_gate>)
        resume(x, now);
      else if constexpr (std::is_same_v<T, tape_config>) {
        desk_->set_policy(policy_);  // replay runs one configuration throughout
        refresh_loss(now);
      } else if constexpr (std::is_same_v<T, tape_tick>)
        refresh_loss(now);
      else if constexpr (std::is_same_v<T, tape_exit_failed>)
        desk_->exit_failed(x.product);
      // tape_decision: an output; tape_start: handled above.
    },
    e.what);
  return out;
}

} // namespace trader::backtest
