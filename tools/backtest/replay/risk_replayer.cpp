#include "tools/backtest/replay/risk_replayer.hpp"

#include "actors/infra/audit/decision_stream.hpp"
#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/intent_json.hpp"
#include "messages/names.hpp"

#include <nlohmann/json.hpp>

#include <type_traits>

namespace trader::backtest {

namespace {

using json = nlohmann::json;

/// The gate source of risk's own loss limits (risk_ledger.cpp loss_source).
constexpr const char* loss_source = "loss_limits";

} // namespace

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
  auto active = desk_->loss().active(now);
  std::erase_if(active, [&](const risk::loss_breach& b) {
    return (b.reason == gate_reason::daily_stop && risk::day_start(b.since) != risk::day_start(now)) ||
           (b.reason == gate_reason::weekly_stop && risk::week_start(b.since) != risk::week_start(now));
  });
  if (!active.empty())
    apply_loss(active, now);
}

void risk_replayer::apply_loss(const std::vector<risk::loss_breach>& active, ts_ns now) {
  gate_conditions c{loss_source, {}, now};
  for (const auto& b : active)
    c.active.push_back(gate_condition{b.reason, {}, b.detail});
  gate_.apply(c);
}

void risk_replayer::refresh_loss(ts_ns now) {
  if (auto s = desk_->update_loss(now))
    apply_loss(s->active, now);
}

std::string risk_replayer::proposal(const trade_proposal& p, ts_ns now) {
  // risk_trading.cpp on_proposal.
  risk::evaluation ev;
  try {
    ev = desk_->evaluate(p, now);
  } catch (const std::exception& e) {
    ev = risk::evaluation{};
    ev.verdict.proposal_id = p.proposal_id;
    ev.verdict.ts = now;
    ev.verdict.rejections.push_back(
      rejection{std::string(risk::check_id::check_failed), std::string("evaluate: ") + e.what()});
  }
  auto& v = ev.verdict;
  if (v.approved) {
    auto d = gate_.check(ev.adds_risk ? risk::order_effect::open_or_add : risk::order_effect::reduce_only);
    if (!d.allowed) {
      v.approved = false;
      v.rejections.push_back(rejection{std::string(risk::check_id::gate_closed), {}});
    }
  }
  auto rej = json::array();
  for (const auto& r : v.rejections)
    rej.push_back({{"check", r.check}, {"detail", r.detail}});
  json j{{"strategy", p.strategy},       {"product", p.product.value}, {"side", to_string(p.dir)},
         {"kind", to_string(p.kind)},   {"target", to_string(p.target)}, {"approved", v.approved},
         {"rejections", rej}};
  if (v.approved) {
    j["intent"] = risk::intent_json(v.intent);
    desk_->record_sent(p, ev, now);
  }
  return *audit::decision_line("risk_verdict", j);
}

void risk_replayer::portfolio(const portfolio_update& u, ts_ns now) {
  // risk_trading.cpp on_portfolio: the first reconciled ledger clears `startup`.
  if (u.reconciled && clear_startup_ && !gate_.reconciled()) {
    gate_.mark_reconciled();
    gate_.resume(gate_reason::startup, false, now);
  }
  desk_->on_portfolio(u, now);
  refresh_loss(now);
}

std::vector<std::string> risk_replayer::on_quote(const quote& q, ts_ns now) {
  // risk_trading.cpp on_quote and fire_exit.
  std::vector<std::string> out;
  desk_->on_quote(q);
  if (!desk_->exits().find(q.product))
    return out;
  if (auto sig = desk_->check_exit(q, now)) {
    if (!gate_.check(risk::order_effect::reduce_only).allowed) {
      desk_->exit_failed(sig->intent.product);  // fires again on the next crossing
    } else {
      desk_->exit_sent(sig->intent.product, sig->kind, now);
      json j{{"kind", std::string{name(sig->kind)}}, {"sent", true}, {"intent", risk::intent_json(sig->intent)}};
      out.push_back(*audit::decision_line("risk_exit", j));
    }
  }
  refresh_loss(now);
  return out;
}

void risk_replayer::resume(const resume_gate& r, ts_ns now) {
  // risk_ledger.cpp before_resume, then the gate's resume (risk_actor.cpp).
  if (r.reason == gate_reason::max_drawdown && desk_->loss().holds(r.reason)) {
    desk_->resume_drawdown(now);
    apply_loss(desk_->loss().active(now), now);
  }
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
      else if constexpr (std::is_same_v<T, gate_conditions>)
        gate_.apply(x);
      else if constexpr (std::is_same_v<T, gate_signal>)
        gate_.apply(x);
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
