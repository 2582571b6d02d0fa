#include "actors/trading/risk/risk_engine.hpp"

#include "actors/trading/risk/checks/check_ids.hpp"
#include "actors/trading/risk/checks/checks.hpp"

#include <algorithm>

namespace trader::risk {

risk_engine::risk_engine(risk_policy p) : policy_(std::move(p)) {
  fees_.maker = ppm_from_bps(policy_.maker_fee_bps);
  fees_.taker = ppm_from_bps(policy_.taker_fee_bps);
}

namespace {

void build_intent(const check_context& c, const sizing_result& s, const risk_policy& policy, ts_ns now,
                  order_intent& out) {
  out.proposal_id = c.proposal.proposal_id;
  out.product = c.proposal.product;
  out.dir = c.proposal.dir;
  out.reduce_only = !c.adds_risk;
  out.ts_created = now;
  if (policy.default_order_type == entry_order::market) {
    out.type = order_type::market;
    out.tif = time_in_force::ioc;
    out.post_only = false;
    out.base_size = s.base;
    out.quote_size = s.quote;
    return;
  }
  out.type = order_type::limit;
  out.post_only = policy.default_order_type == entry_order::limit_post_only;
  out.limit_px = s.limit_px;
  out.base_size = s.base;
  out.tif = time_in_force::gtd;
  out.expire_at = now + policy.limit_order_ttl_s * ns_per_s;
}

} // namespace

evaluation risk_engine::evaluate(const trade_proposal& p, const portfolio_snapshot& book, const market_snapshot& market,
                                 const pacing_state& pacing, ts_ns now) const {
  evaluation ev;
  auto& v = ev.verdict;
  v.proposal_id = p.proposal_id;
  v.ts = now;
  const auto ctx = make_context(p, book, policy_, market, pacing, now);
  ev.desired = ctx.desired;
  ev.adds_risk = ctx.adds_risk;
  ev.new_position = ctx.adds_risk && !ctx.is_add;
  ev.nav = book.nav;
  ev.exposure = ctx.exposure;

  std::optional<notional> cap;
  bool input_ok = true;
  for (const auto& c : all_checks()) {
    if (!ctx.adds_risk && !c.for_exits)
      continue;
    if (!c.input && !input_ok)
      break;  // later checks would judge input that is already known to be bad
    auto r = run_check(c, ctx);
    if (r.outcome == check_outcome::reject) {
      v.rejections.push_back(std::move(r.why));
      if (c.input)
        input_ok = false;
    } else if (r.outcome == check_outcome::resize) {
      if (!cap || r.cap < *cap)
        cap = r.cap;
      ev.resized.push_back(std::move(r.why));
    }
  }
  ev.allowed = cap ? std::min(*cap, ctx.desired) : ctx.desired;
  if (!v.rejections.empty())
    return ev;

  if (ctx.adds_risk) {
    const auto min = min_position_notional(ctx);
    if (ev.allowed < min) {
      v.rejections.push_back(
        rejection{std::string(check_id::min_position_size),
                  "allowed=" + to_string(ev.allowed) + " min=" + to_string(min) + " desired=" + to_string(ctx.desired)});
      return ev;
    }
  }

  const auto& q = *ctx.entry->top;  // present: STALE_QUOTE and INVALID_QUOTE passed
  sizing_request req;
  req.dir = p.dir;
  req.close_all = p.kind == proposal_kind::close;
  req.desired = ev.allowed;
  req.cap = ev.allowed;
  req.held = ctx.position ? ctx.position->qty : size{};
  req.bid = q.bid;
  req.ask = q.ask;
  req.limit_px = p.limit_px;
  req.type = policy_.default_order_type == entry_order::market ? order_type::market : order_type::limit;
  req.post_only = policy_.default_order_type == entry_order::limit_post_only;
  req.improve_ticks = policy_.price_improvement_ticks;
  req.fees = fees_;
  req.min_order = notional::from_double(policy_.min_order_usd);
  ev.sizing = size_order(req, ctx.entry->rules);
  if (!ev.sizing.ok) {
    v.rejections.push_back(ev.sizing.why);
    return ev;
  }
  build_intent(ctx, ev.sizing, policy_, now, v.intent);
  v.approved = true;
  return ev;
}

} // namespace trader::risk
