#include "tools/backtest/pipeline/pipeline.hpp"

#include "actors/trading/risk/intent_json.hpp"

#include "tools/backtest/pipeline/pipeline_records.hpp"

#include "actors/trading/signals/indicators.hpp"
#include "messages/names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace trader::backtest {

namespace {

/// The no-trade key of a blocked product: "blocked:" and its reason up to the first ':'
/// ("series 5m stale", "trend series 1h gap", "breakout", "bad_tick", "volatility").
std::string block_kind(const std::string& reason) {
  auto colon = reason.find(':');
  return "blocked:" + reason.substr(0, colon == std::string::npos ? std::min<std::size_t>(reason.size(), 32) : colon);
}

} // namespace

pipeline::pipeline(pipeline_settings s, sim_market& m, notional initial_cash, run_record& rec)
  : s_(std::move(s)),
    m_(m),
    rec_(rec),
    signals_(s_.engine),
    strategies_(s_.strategies, s_.ensemble, s_.correlation),
    engine_(s_.policy),
    limits_(risk::loss_limit_params{s_.policy.daily_stop_pct, s_.policy.weekly_stop_pct, s_.policy.max_drawdown_pct}),
    initial_cash_(initial_cash) {
  ledger_.set_cash(initial_cash);
}

pipeline::~pipeline() = default;

void pipeline::set_products(std::vector<std::string> products) { products_ = std::move(products); }

void pipeline::start(ts_ns t0) {
  for (const auto& p : products_)
    signals_.store().start(product_id{p}, t0);
  refresh_fees(t0);
}

// -- signals ------------------------------------------------------------------------

void pipeline::on_bar(const std::string& product, const signals::bar& b, ts_ns now) {
  ++rec_.candles;
  ++rec_.events;
  if (b.start + signals::length_ns(signals::granularity::one_minute) > now) {
    ++rec_.lookahead_refused;  // its minute has not ended: reading it would be look-ahead
    return;
  }
  signals_.store().on_bar(product_id{product}, b);
}

void pipeline::on_tick(const std::string& product, price px, size qty, ts_ns t) {
  ++rec_.ticks;
  ++rec_.events;
  signals_.store().on_trade(product_id{product}, px, qty, t);
}

// -- the step -----------------------------------------------------------------------

void pipeline::on_step(ts_ns now) {
  ++rec_.events;
  m_.exchange().advance(now);  // GTD entries expire in engine time
  poll_orders(now);
  // Bars close only at minute boundaries: once a minute is enough (signal_engine::advance
  // walks every stored base bar, 7 % of a run when called at each 10 s step).
  if (const ts_ns minute = now / signals::length_ns(signals::granularity::one_minute); minute != advanced_minute_) {
    advanced_minute_ = minute;
    signals_.advance(now);  // closes bars ended by now, runs the bad-tick guards and the regime
    rec_.bad_ticks_held = signals_.counts().bad_ticks_held;
  }
  check_exits(now);
}

// -- decisions ----------------------------------------------------------------------

void pipeline::on_cycle(std::int64_t cycle, ts_ns now) {
  ++rec_.cycles;
  ++rec_.events;
  if (now - fees_at_ >= 3600 * ns_per_s)  // traderd's risk asks hourly once it knows the tier
    refresh_fees(now);
  update_limits(now);
  // The universe of the cycle (traderd's universe actor; here every traded product is eligible).
  universe_snapshot u;
  u.cycle = cycle;
  u.tick_ts = now;
  u.ts = now;
  for (const auto& p : products_)
    u.entries.push_back(universe_entry{product_id{p}, "core", true, ""});
  // Triggers, then strategies: the triggers and strategies actors' cores, as they call them.
  const auto batch = signals_.evaluate(u, now);
  for (const auto& ps : batch.products) {
    if (ps.blocked)
      no_trade(block_kind(ps.block_reason));
    rec_.signals += ps.fired.size();
  }
  const auto held = positions();
  auto r = strategies_.run(batch, held, now, "bt-p");
  rec_.lookahead_refused += r.look_ahead;
  if (r.proposals.empty() && !r.no_trade_reason.empty())
    no_trade("strategy:" + r.no_trade_reason);
  for (const auto& p : r.proposals)
    decide(p, now);
}

std::vector<position_state> pipeline::positions() const {
  std::vector<position_state> out;
  for (const auto& [p, pos] : ledger_.positions()) {
    if (pos.flat() || pos.qty.is_negative())
      continue;
    position_state s;
    s.product = product_id{p};
    auto t = trips_.find(p);
    s.strategy = t != trips_.end() ? t->second.strategy : "";
    s.qty = pos.qty;
    s.avg_entry = pos.avg_entry();
    s.opened_at = t != trips_.end() ? t->second.opened : 0;
    out.push_back(std::move(s));
  }
  return out;
}

void pipeline::decide(const trade_proposal& p, ts_ns now) {
  ++rec_.proposals;
  const auto book = portfolio(now);
  const auto mk = market(now);
  auto ev = engine_.evaluate(p, book, mk, pacing_, now);
  auto& v = ev.verdict;
  if (v.approved && ev.adds_risk) {
    auto g = gate_.check(risk::order_effect::open_or_add);
    if (!g.allowed) {
      v.approved = false;
      v.rejections.push_back({"GATE_CLOSED", std::string{to_string(*g.blocking)}});
    }
  }
  // The verdict as the risk actor audits it (risk_trading.cpp verdict_json), so its canonical
  // decision line and the running hash are traderd's.
  nlohmann::json j{{"proposal_id", p.proposal_id}, {"strategy", p.strategy},    {"product", p.product.value},
                   {"side", to_string(p.dir)},      {"kind", to_string(p.kind)}, {"target", to_string(p.target)},
                   {"confidence", p.confidence},    {"approved", v.approved},    {"ts", now},
                   {"rationale", p.rationale}};
  auto& rj = j["rejections"] = nlohmann::json::array();
  for (const auto& r : v.rejections) {
    rj.push_back({{"check", r.check}, {"detail", r.detail}});
    no_trade(r.check);
  }
  if (v.approved)
    j["intent"] = risk::intent_json(v.intent);
  rec_.decision("risk_verdict", std::move(j), now);
  if (!v.approved)
    return;
  ++rec_.approved;
  order_intent intent = v.intent;
  intent.id = ids_.next(p.strategy, p.product, p.dir);
  pacing_.record_trade(p.product, ev.new_position, now);
  if (ev.adds_risk) {  // risk_desk::record_sent: the entry's exit plan, the policy's where it sets none
    const auto& pol = s_.policy;
    const auto& x = p.exits;
    plans_[p.product.value] = risk::exit_spec{x.stop_loss_pct > 0 ? x.stop_loss_pct : pol.stop_loss_pct,
                                              x.take_profit_pct > 0 ? x.take_profit_pct : pol.take_profit_pct,
                                              x.stop_loss_atr > 0 ? x.stop_loss_atr : pol.stop_loss_atr,
                                              x.take_profit_atr > 0 ? x.take_profit_atr : pol.take_profit_atr};
  }
  if (ev.new_position)
    trips_[p.product.value] = trip{p.strategy, now, 0, 0, size{}};
  send(std::move(intent), p.strategy, "entry", now);
}

double pipeline::nav(ts_ns now) {
  std::unordered_map<product_id, price> marks;
  for (const auto& [p, pos] : ledger_.positions())
    if (!pos.flat())
      if (auto q = m_.top(p, now))
        marks[product_id{p}] = risk::mid(*q);
  return ledger_.mark(marks, now).nav.to_double();
}

void pipeline::update_limits(ts_ns now) {
  std::unordered_map<product_id, price> marks;
  notional unrealized;
  bool exposed = false;
  for (const auto& [p, pos] : ledger_.positions()) {
    if (pos.flat())
      continue;
    exposed = true;
    if (auto q = m_.top(p, now)) {
      const price mk = risk::mid(*q);
      marks[product_id{p}] = mk;
      unrealized += notional::from_units(order_lifecycle::mul_div_units(pos.qty.units, (mk - pos.avg_entry()).units,
                                                                        price::scale));
    }
  }
  auto nm = ledger_.mark(marks, now);
  auto st = limits_.update(risk::ledger_marks{ledger_.day(now).realized, ledger_.week(now).realized, unrealized, nm.nav},
                           now);
  gate_conditions c{"loss_limits", {}, now};
  for (const auto& b : st.active)
    c.active.push_back({b.reason, "", b.detail});
  std::set<gate_reason> before;
  for (const auto& e : gate_.reasons())
    before.insert(e.reason);
  if (gate_.apply(c)) {
    for (const auto& e : gate_.reasons())
      if (!before.count(e.reason)) {
        ++rec_.gate_closures[std::string{to_string(e.reason)}];
        rec_.audit_line(nlohmann::ordered_json{{"kind", "gate"}, {"ts", now}, {"closed", to_string(e.reason)}}.dump());
      }
  }
  rec_.equity.push_back({now, nm.nav.to_double(), exposed});
}

risk::portfolio_snapshot pipeline::portfolio(ts_ns now) {
  risk::portfolio_snapshot b;
  b.taken_at = now;
  std::unordered_map<product_id, price> marks;
  for (const auto& [p, pos] : ledger_.positions()) {
    if (pos.flat() || pos.qty.is_negative())
      continue;
    risk::position_view v;
    v.product = product_id{p};
    auto t = trips_.find(p);
    v.strategy = t != trips_.end() ? t->second.strategy : "";
    v.qty = pos.qty;
    v.initial_qty = t != trips_.end() && !t->second.initial.is_zero() ? t->second.initial : pos.qty;
    v.avg_entry = pos.avg_entry();
    if (auto q = m_.top(p, now))
      v.mark = risk::mid(*q);
    marks[v.product] = v.mark;
    v.opened_at = t != trips_.end() ? t->second.opened : 0;
    b.positions.push_back(std::move(v));
  }
  b.nav = ledger_.mark(marks, now).nav;
  const double taker = s_.policy.taker_fee_bps / 10'000.0;
  for (const auto& [id, o] : orders_) {
    if (o->intent.dir != side::buy)
      continue;
    const size left = o->intent.base_size - o->progress.filled;
    const double value = o->intent.type == order_type::market ? o->intent.quote_size.to_double()
                                                              : (o->intent.limit_px * left).to_double();
    risk::pending_exposure pe;
    pe.product = o->intent.product;
    pe.strategy = o->strategy;
    pe.amount = notional::from_double(value * (1.0 + taker));
    pe.new_position = b.find(o->intent.product) == nullptr;
    b.pending.push_back(std::move(pe));
  }
  return b;
}

risk::market_snapshot pipeline::market(ts_ns now) {
  risk::market_snapshot mk;
  for (const auto& p : products_) {
    risk::market_entry e;
    e.rules = m_.rules(p);
    e.status = product_state::online;
    e.top = m_.top(p, now);
    m_.depth(p, 10, e.bids, e.asks);
    if (const auto* series = signals_.store().series(product_id{p}, signals_.base());
        series != nullptr && series->size() > 15) {
      auto a = signals::atr(series->last(64), 14);
      if (!a.empty())
        e.atr = price::from_double(a.back());
    }
    mk.upsert(std::move(e));
  }
  mk.regime_multiplier = signals::size_multiplier(signals_.current_regime(), s_.engine.multipliers);
  mk.regime = std::string{signals::name(signals_.current_regime())};
  return mk;
}

} // namespace trader::backtest
