#include "actors/trading/risk/risk_step.hpp"

#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/intent_json.hpp"

#include <nlohmann/json.hpp>

namespace trader::risk {

using json = nlohmann::json;

evaluation risk_step::proposal(const trade_proposal& p, ts_ns now) {
  evaluation ev;
  try {
    ev = desk_.evaluate(p, now);
  } catch (const std::exception& e) {
    ev = evaluation{};
    ev.verdict.proposal_id = p.proposal_id;
    ev.verdict.ts = now;
    ev.verdict.rejections.push_back(rejection{std::string(check_id::check_failed), std::string("evaluate: ") + e.what()});
  }
  auto& v = ev.verdict;
  if (v.approved) {
    auto effect = ev.adds_risk ? order_effect::open_or_add : order_effect::reduce_only;
    auto d = gate_.check(effect);
    if (!d.allowed) {
      v.approved = false;
      v.rejections.push_back(rejection{std::string(check_id::gate_closed),
                                       "reason=" + std::string{d.blocking ? to_string(*d.blocking) : "unknown"} +
                                         " effect=" + (ev.adds_risk ? "open_or_add" : "reduce_only")});
    }
  }
  if (v.approved)
    desk_.record_sent(p, ev, now);
  return ev;
}

risk_step::portfolio_outcome risk_step::portfolio(const portfolio_update& u, bool clear_startup, ts_ns now) {
  portfolio_outcome out;
  // The first reconciled ledger since this risk started: local state agrees with the
  // exchange, so `startup` clears by itself. Every other reason stays with its source.
  if (u.reconciled && clear_startup && !gate_.reconciled()) {
    gate_.mark_reconciled();
    out.startup_cleared = gate_.resume(gate_reason::startup, false, now).changed;
  }
  out.fx = desk_.on_portfolio(u, now);
  return out;
}

risk_step::quote_outcome risk_step::on_quote(const quote& q, ts_ns now) {
  quote_outcome out;
  desk_.on_quote(q);
  if (!desk_.exits().find(q.product))
    return out;  // not held: no exit, no mark change in NAV
  out.held = true;
  out.exit = desk_.check_exit(q, now);
  if (!out.exit)
    return out;
  out.gate = gate_.check(order_effect::reduce_only);
  if (out.gate.allowed)
    desk_.exit_sent(out.exit->intent.product, out.exit->kind, now);
  else
    desk_.exit_failed(out.exit->intent.product);  // fires again on the next crossing quote
  return out;
}

bool risk_step::hold_loss(const std::vector<loss_breach>& active, ts_ns now) {
  gate_conditions c{loss_source, {}, now};
  for (const auto& b : active)
    c.active.push_back(gate_condition{b.reason, {}, b.detail});
  return gate_.apply(c);
}

std::vector<loss_breach> risk_step::restored_loss(ts_ns now) {
  auto active = desk_.loss().active(now);
  std::erase_if(active, [&](const loss_breach& b) {
    return (b.reason == gate_reason::daily_stop && day_start(b.since) != day_start(now)) ||
           (b.reason == gate_reason::weekly_stop && week_start(b.since) != week_start(now));
  });
  return active;
}

bool risk_step::before_resume(gate_reason r, ts_ns now) {
  if (r != gate_reason::max_drawdown || !desk_.loss().holds(r))
    return false;
  desk_.resume_drawdown(now);
  return true;
}

json verdict_json(const trade_proposal& p, const evaluation& ev, bool gate_open, const risk_policy& policy) {
  const auto& v = ev.verdict;
  auto rej = json::array();
  for (const auto& r : v.rejections)
    rej.push_back({{"check", r.check}, {"detail", r.detail}});
  auto resized = json::array();
  for (const auto& r : ev.resized)
    resized.push_back({{"check", r.check}, {"detail", r.detail}});
  json j{{"proposal_id", p.proposal_id}, {"strategy", p.strategy},   {"product", p.product.value},
         {"side", to_string(p.dir)},     {"kind", to_string(p.kind)}, {"target", to_string(p.target)},
         {"confidence", p.confidence},   {"approved", v.approved},    {"rejections", rej},
         {"resized", resized},           {"desired", to_string(ev.desired)}, {"allowed", to_string(ev.allowed)},
         {"gate_open", gate_open},       {"ts", v.ts},                {"rationale", p.rationale}};
  if (v.approved)
    j["intent"] = intent_json(v.intent);
  if (ev.adds_risk) {
    // What the caps carried before this order and the caps themselves: an operator (and the
    // soak's invariant checker) sees from the audit alone that an entry stayed under them.
    j["exposure"] = {{"nav", to_string(ev.nav)},
                     {"total", to_string(ev.exposure.total)},
                     {"asset", to_string(ev.exposure.asset)},
                     {"max_total_at_risk_pct", policy.max_total_at_risk_pct},
                     {"per_asset_cap_pct", policy.per_asset_cap_pct}};
  }
  return j;
}

} // namespace trader::risk
