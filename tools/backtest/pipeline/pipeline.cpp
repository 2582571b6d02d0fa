#include "tools/backtest/pipeline/pipeline.hpp"

#include "tools/backtest/pipeline/pipeline_records.hpp"

#include "actors/trading/signals/indicators.hpp"
#include "messages/names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace trader::backtest {

namespace {

std::set<signals::granularity> store_granularities(signals::granularity base, std::optional<signals::granularity> higher) {
  std::set<signals::granularity> g{signals::granularity::one_hour};
  if (base != signals::granularity::one_minute)
    g.insert(base);
  if (higher && *higher != signals::granularity::one_minute)
    g.insert(*higher);
  return g;
}

signals::store_options store_opts(const pipeline_settings& s, signals::granularity base,
                                  std::optional<signals::granularity> higher) {
  signals::store_options o;
  auto g = store_granularities(base, higher);
  o.granularities.assign(g.begin(), g.end());
  o.capacity = std::max<std::size_t>(500, signals::bars_needed(s.triggers) + 16);
  return o;
}

std::optional<signals::granularity> higher_of(const signals::triggers_params& t) {
  if (!t.trend_filter.enabled)
    return std::nullopt;
  return signals::parse_granularity(t.trend_filter.granularity);
}

std::string note_kind(const std::string& note) {
  auto colon = note.find(':');
  return "trigger_note:" + note.substr(0, colon == std::string::npos ? std::min<std::size_t>(note.size(), 32) : colon);
}

} // namespace

pipeline::pipeline(pipeline_settings s, sim_market& m, notional initial_cash, run_record& rec)
  : s_(std::move(s)),
    m_(m),
    rec_(rec),
    base_(signals::parse_granularity(s_.triggers.granularity).value_or(signals::granularity::five_minute)),
    higher_(higher_of(s_.triggers)),
    store_(store_opts(s_, base_, higher_)),
    regime_(s_.regime),
    engine_(s_.policy),
    limits_(risk::loss_limit_params{s_.policy.daily_stop_pct, s_.policy.weekly_stop_pct, s_.policy.max_drawdown_pct}),
    initial_cash_(initial_cash) {
  ledger_.set_cash(initial_cash);
}

pipeline::~pipeline() = default;

void pipeline::set_products(std::vector<std::string> products) {
  products_ = std::move(products);
  for (const auto& p : products_)
    guards_.emplace(p, signals::bad_tick_guard{s_.bad_tick});
}

// -- signals ------------------------------------------------------------------------

void pipeline::on_bar(const std::string& product, const signals::bar& b, ts_ns now) {
  ++rec_.candles;
  ++rec_.events;
  if (b.start + signals::length_ns(signals::granularity::one_minute) > now) {
    ++rec_.lookahead_refused;  // its minute has not ended: reading it would be look-ahead
    return;
  }
  store_.on_bar(product_id{product}, b);
}

void pipeline::on_tick(const std::string& product, price px, size qty, ts_ns t) {
  ++rec_.ticks;
  ++rec_.events;
  store_.on_trade(product_id{product}, px, qty, t);
}

void pipeline::guard_new_bars(const std::string& product) {
  const auto* series = store_.series(product_id{product}, base_);
  if (series == nullptr)
    return;
  auto& upto = guarded_upto_[product];
  auto& guard = guards_.at(product);
  const auto bars = series->bars();
  std::size_t first = bars.size();
  while (first > 0 && bars[first - 1].start > upto)  // only the bars closed since the last step
    --first;
  for (std::size_t i = first; i < bars.size(); ++i) {
    upto = bars[i].start;
    if (guard.check_bar(bars[i]).verdict == signals::tick_verdict::held)
      ++rec_.bad_ticks_held;
  }
}

void pipeline::update_regime() {
  const auto* series = store_.series(product_id{s_.regime_product}, signals::granularity::one_hour);
  if (series == nullptr || series->empty() || series->newest()->start <= regime_upto_)
    return;
  regime_upto_ = series->newest()->start;
  auto closes = signals::closes(series->last(regime_.needed()));
  regime_.evaluate(closes);
}

// -- the step -----------------------------------------------------------------------

void pipeline::on_step(ts_ns now) {
  ++rec_.events;
  m_.exchange().advance(now);  // GTD entries expire in engine time
  poll_orders(now);
  store_.advance(now);
  for (const auto& p : products_)
    guard_new_bars(p);
  check_exits(now);
}

// -- decisions ----------------------------------------------------------------------

void pipeline::on_cycle(std::int64_t cycle, ts_ns now) {
  ++rec_.cycles;
  ++rec_.events;
  update_limits(now);
  update_regime();
  std::vector<signals::product_signal> fired;
  const std::size_t need = signals::bars_needed(s_.triggers);
  signals::freshness_policy fresh;
  fresh.min_bars = need;
  for (const auto& p : products_) {
    const product_id pid{p};
    const auto* series = store_.series(pid, base_);
    if (series == nullptr || series->empty()) {
      no_trade("series:no_bars");
      continue;
    }
    if (series->newest()->start <= evaluated_upto_[p])
      continue;  // this bar was judged already
    auto st = series->status(now, fresh);
    if (st.blocked()) {
      no_trade("series:" + std::string{signals::name(st.block)});
      continue;
    }
    evaluated_upto_[p] = series->newest()->start;
    std::span<const signals::bar> higher;
    if (higher_)
      if (const auto* h = store_.series(pid, *higher_))
        higher = h->bars();
    auto report = signals::evaluate_triggers(series->last(need), higher, s_.triggers, &guards_.at(p));
    for (const auto& n : report.notes)
      no_trade(note_kind(n));
    if (report.blocked) {
      if (!report.fired.empty())
        no_trade("triggers_blocked");
      continue;
    }
    for (auto& sig : report.fired)
      fired.push_back({pid, std::move(sig)});
  }
  signals::keep_strongest(fired, static_cast<std::size_t>(std::max<std::int64_t>(1, s_.triggers.max_triggers_per_cycle)));
  const double nav_now = nav(now);
  for (const auto& f : fired) {
    ++rec_.signals;
    const std::string trig{signals::name(f.signal.id)};
    auto strat = std::find_if(s_.strategies.begin(), s_.strategies.end(),
                              [&](const strategy_spec& x) { return x.trigger == trig; });
    if (strat == s_.strategies.end()) {
      no_trade("strategy:none_for_" + trig);
      continue;
    }
    const auto* pos = ledger_.find(f.product);
    const bool busy = std::any_of(orders_.begin(), orders_.end(),
                                  [&](const auto& kv) { return kv.second->intent.product == f.product; });
    if ((pos != nullptr && !pos->flat()) || busy) {
      no_trade("strategy:position_or_order_open");
      continue;
    }
    trade_proposal p;
    p.proposal_id = "bt-p-" + std::to_string(++proposal_seq_);
    p.strategy = strat->name;
    p.product = f.product;
    p.dir = side::buy;
    p.kind = proposal_kind::open;
    p.target = notional::from_double(nav_now * s_.policy.max_position_pct / 100.0);
    p.rationale = f.signal.detail;
    p.cycle = cycle;
    p.ts = now;
    p.confidence = f.signal.confidence;
    decide(p, now);
  }
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
  nlohmann::ordered_json j{{"kind", "verdict"}, {"ts", now}, {"proposal", p.proposal_id}, {"strategy", p.strategy},
                           {"product", p.product.value}, {"approved", v.approved}};
  auto& rj = j["rejections"] = nlohmann::json::array();
  for (const auto& r : v.rejections) {
    rj.push_back(r.check + ": " + r.detail);
    no_trade(r.check);
  }
  rec_.hash_line(j.dump());
  if (!v.approved)
    return;
  ++rec_.approved;
  order_intent intent = v.intent;
  intent.id = ids_.next(p.strategy, p.product, p.dir);
  pacing_.record_trade(p.product, ev.new_position, now);
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
    if (const auto* series = store_.series(product_id{p}, base_); series != nullptr && series->size() > 15) {
      auto a = signals::atr(series->last(64), 14);
      if (!a.empty())
        e.atr = price::from_double(a.back());
    }
    mk.upsert(std::move(e));
  }
  mk.regime_multiplier = signals::size_multiplier(regime_.current(), s_.multipliers);
  mk.regime = std::string{signals::name(regime_.current())};
  return mk;
}

} // namespace trader::backtest
