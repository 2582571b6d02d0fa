#include "actors/trading/risk/risk_desk.hpp"

#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/fixed_math.hpp"
#include "messages/names.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <set>

namespace trader::risk {

product_rules rules_of(const product_info& p) {
  product_rules r;
  r.product = p.product;
  r.base = p.base_currency;
  r.quote = p.quote_currency;
  r.price_increment = p.price_increment;
  r.base_increment = p.base_increment;
  r.quote_increment = notional{p.price_increment.units};
  r.base_min = p.base_min_size;
  r.base_max = p.base_max_size;
  r.min_funds = p.quote_min_size;
  r.max_funds = p.quote_max_size;
  return r;
}

risk_desk::risk_desk(risk_policy p)
  : engine_(std::move(p)),
    loss_(loss_limit_params{engine_.policy().daily_stop_pct, engine_.policy().weekly_stop_pct,
                            engine_.policy().max_drawdown_pct}) {}

void risk_desk::set_policy(risk_policy p) {
  auto fees = engine_.fees();
  engine_ = risk_engine{std::move(p)};
  if (fees_known_)
    engine_.set_fees(fees);  // the exchange's tier outranks the policy's fallback rates
  const auto& pol = engine_.policy();
  if (auto l = loss_limits::from_json(loss_.to_json(), {pol.daily_stop_pct, pol.weekly_stop_pct, pol.max_drawdown_pct}))
    loss_ = std::move(*l);
}

// -- market ---------------------------------------------------------------------------------

void risk_desk::on_products(const std::vector<product_info>& list) {
  marks_stale_ = marks_stale_ || book_.has_value();  // a product's first entry may bring its quote
  for (const auto& p : list) {
    if (auto* e = market_.edit(p.product)) {
      e->rules = rules_of(p);
      e->status = p.state;
      continue;
    }
    market_entry e;
    e.rules = rules_of(p);
    e.status = p.state;
    market_.upsert(std::move(e));
  }
}

void risk_desk::on_fee_tier(const fee_tier& t) {
  auto rates = reported_fee_rates(t.maker_rate, t.taker_rate);
  if (!rates)
    return;  // not a plausible fee: keep what we have
  engine_.set_fees(*rates);
  fees_known_ = true;
}

void risk_desk::on_status(const product_status& s) {
  if (auto* e = market_.edit(s.product))
    e->status = s.state;
}

void risk_desk::on_quote(const quote& q) {
  if (auto* e = market_.edit(q.product))
    e->top = q;
  marks_stale_ = marks_stale_ || (book_ && book_->find(q.product) != nullptr);
}

price risk_desk::mark_of(const product_id& p, price fallback) const {
  const auto* e = market_.find(p);
  if (!e || !e->top || e->top->bid.units <= 0 || e->top->ask.units < e->top->bid.units)
    return fallback;
  return mid(*e->top);
}

// -- the ledger -----------------------------------------------------------------------------

exit_spec risk_desk::spec_for(const product_id& p) const {
  if (auto it = plans_.find(p); it != plans_.end())
    return it->second;
  const auto& pol = engine_.policy();
  return exit_spec{pol.stop_loss_pct, pol.take_profit_pct, pol.stop_loss_atr, pol.take_profit_atr};
}

portfolio_effects risk_desk::on_portfolio(const portfolio_update& u, ts_ns now) {
  portfolio_effects fx;
  // Versions grow within one order_lifecycle run; a restarted one starts again from 1, so
  // only an update older than the held one *and* built earlier is dropped.
  if (have_portfolio_ && u.version < ledger_.version && u.ts < ledger_.ts)
    return fx;
  fx.cash_flow = find_cash_flow(u);
  ledger_ = u;
  have_portfolio_ = true;
  received_at_ = now;
  book_.reset();

  std::set<product_id> held;
  for (const auto& pos : u.positions) {
    if (pos.qty.units <= 0)
      continue;
    held.insert(pos.product);
    fx.pyramid_changed = pyramid_.opened(pos.product, pos.qty) || fx.pyramid_changed;
    if (pos.updated_at > pacing_.symbol(pos.product).last_fill) {
      pacing_.record_fill(pos.product, pos.updated_at);
      fx.pacing_changed = true;
    }
    const auto* armed = exits_.find(pos.product);
    if (!armed || armed->entry != pos.avg_entry) {
      // New, or averaged up/down by an add: levels from the entry as it is now.
      const auto* e = market_.find(pos.product);
      auto pp = protect(pos.product, pos.qty, pos.avg_entry, spec_for(pos.product), e ? e->atr : price{},
                        e ? e->rules.price_increment : price{});
      pp.last_quote = now;  // a new position gets max quote age of grace before it counts as stale
      if (armed) {
        pp.exiting = armed->exiting;
        pp.last_quote = armed->last_quote;
      }
      exits_.arm(std::move(pp));
      plans_.erase(pos.product);
      fx.armed.push_back(pos.product);
      fx.exits_changed = true;
    } else if (armed->qty != pos.qty) {
      exits_.resize(pos.product, pos.qty);
      fx.exits_changed = true;
    }
  }
  std::vector<product_id> gone;
  for (const auto& [p, rec] : exits_.positions())
    if (!held.count(p))
      gone.push_back(p);
  for (const auto& [p, rec] : pyramid_.records())
    if (!held.count(p))
      gone.push_back(p);
  for (auto& p : gone) {
    fx.pyramid_changed = pyramid_.closed(p) || fx.pyramid_changed;
    if (!exits_.find(p))
      continue;
    exits_.disarm(p);
    exit_sent_at_.erase(p);
    fx.disarmed.push_back(p);
    fx.exits_changed = true;
  }
  // An exit out for a while with no working exit order on its product: it was refused,
  // cancelled or expired without closing the position — arm it again.
  for (auto it = exit_sent_at_.begin(); it != exit_sent_at_.end();) {
    bool working = false;
    for (const auto& w : u.working)
      working = working || (w.product == it->first && w.dir == side::sell && w.reduce_only);
    if (!working && now - it->second >= exit_retry_ns) {
      exits_.exit_failed(it->first);
      fx.retry.push_back(it->first);
      fx.exits_changed = true;
      it = exit_sent_at_.erase(it);
    } else {
      ++it;
    }
  }
  return fx;
}

// cash + Σ qty × avg_entry − realized_total is what fills leave unchanged, up to the entry
// fees a position carries until it closes (a fraction of a percent of what it is worth);
// anything that moves it by more than cash_flow_min_pct of NAV came from outside: a
// deposit or a withdrawal found by a reconcile with the exchange's balance.
// Only reconciled ledgers are compared: before the first reconcile the cash is not the
// exchange's yet (a fresh store holds 0), so its arrival is no transfer.
std::optional<cash_flow_event> risk_desk::find_cash_flow(const portfolio_update& u) {
  if (!u.reconciled) {
    cash_anchor_.reset();
    return std::nullopt;
  }
  notional anchor = u.cash - u.realized_total;
  notional held;
  for (const auto& pos : u.positions)
    if (pos.qty.units > 0) {
      anchor += pos.avg_entry * pos.qty;
      held += mark_of(pos.product, pos.avg_entry) * pos.qty;
    }
  const auto before = cash_anchor_;
  cash_anchor_ = anchor;
  if (!before)
    return std::nullopt;
  const notional moved = anchor - *before;
  const notional nav = u.cash + held;
  const notional limit = pct_of(nav.units > 0 ? nav : u.cash, engine_.policy().cash_flow_min_pct);
  const notional size_of = moved.units < 0 ? -moved : moved;
  if (size_of.units == 0 || size_of <= limit)
    return std::nullopt;
  loss_.on_cash_flow(moved);
  return cash_flow_event{moved, nav, u.version};
}

const portfolio_snapshot& risk_desk::snapshot() const {
  if (book_ && marks_stale_) {
    notional held;
    for (auto& v : book_->positions) {
      v.mark = mark_of(v.product, price{});
      held += v.exposure();
    }
    book_->nav = ledger_.cash + held;
    marks_stale_ = false;
  }
  if (book_)
    return *book_;
  auto& s = book_.emplace();
  marks_stale_ = false;
  if (!have_portfolio_)
    return s;
  s.taken_at = received_at_;
  notional held;
  for (const auto& pos : ledger_.positions) {
    if (pos.qty.units <= 0)
      continue;
    position_view v;
    v.product = pos.product;
    v.strategy = pos.strategy;
    v.qty = pos.qty;
    v.initial_qty = pos.qty;
    v.avg_entry = pos.avg_entry;
    v.mark = mark_of(pos.product, price{});
    v.opened_at = pos.opened_at;
    pyramid_.fill(v);
    held += v.exposure();
    s.positions.push_back(std::move(v));
  }
  for (const auto& w : ledger_.working) {
    if (w.dir != side::buy || w.reduce_only)
      continue;  // pending sells are not netted (conservative)
    pending_exposure e;
    e.product = w.product;
    e.strategy = w.strategy;
    e.amount = w.remaining;
    e.new_position = s.find(w.product) == nullptr;
    s.pending.push_back(std::move(e));
  }
  s.nav = ledger_.cash + held;
  return s;
}

ledger_marks risk_desk::marks(ts_ns now) const {
  ledger_marks m;
  if (!have_portfolio_)
    return m;
  // The ledger's buckets belong to the day and week of its ts: a new day starts at zero.
  if (day_start(ledger_.ts) == day_start(now))
    m.realized_day = ledger_.realized_day;
  if (week_start(ledger_.ts) == week_start(now))
    m.realized_week = ledger_.realized_week;
  notional held;
  for (const auto& pos : ledger_.positions) {
    if (pos.qty.units <= 0)
      continue;
    auto mark = mark_of(pos.product, pos.avg_entry);
    held += mark * pos.qty;
    m.unrealized += mark * pos.qty - pos.avg_entry * pos.qty;
  }
  m.nav = ledger_.cash + held;
  return m;
}

std::optional<loss_status> risk_desk::update_loss(ts_ns now) {
  if (!have_portfolio_)
    return std::nullopt;
  auto m = marks(now);
  if (m.nav.units <= 0)
    return last_loss_;  // an empty or unfunded ledger: nothing to measure against
  last_loss_ = loss_.update(m, now);
  return last_loss_;
}

// -- decisions ------------------------------------------------------------------------------

evaluation risk_desk::evaluate(const trade_proposal& p, ts_ns now) {
  if (auto* e = market_.edit(p.product)) {
    books_.top(p.product, book_depth, e->bids, e->asks);  // both empty when no usable book
    // Coinbase sends the ticker on matches: between trades its touch and sizes go stale while
    // the level-2 book keeps moving. With a usable book, the book's touch is the quote judged
    // (its sizes decide INSUFFICIENT_DEPTH), as of the newer of the two.
    if (e->top && !e->bids.empty() && !e->asks.empty()) {
      e->top->bid = e->bids.front().px;
      e->top->bid_size = e->bids.front().qty;
      e->top->ask = e->asks.front().px;
      e->top->ask_size = e->asks.front().qty;
      e->top->ts_recv = std::max(e->top->ts_recv, books_.updated_at(p.product));
      e->top->ts_event = std::max(e->top->ts_event, books_.event_at(p.product));
    }
    if (p.exits.atr.units > 0)
      e->atr = p.exits.atr;  // the newest ATR known for the product (exits armed later use it)
  }
  auto ev = engine_.evaluate(p, snapshot(), market_, pacing_, now);
  ev.verdict.intent.origin_mono = p.origin_mono;  // the proposal's frame: tick_to_order
  ev.verdict.intent.origin_path = decision_path::strategy;
  return ev;
}

void risk_desk::record_sent(const trade_proposal& p, const evaluation& ev, ts_ns now) {
  if (!ev.adds_risk)
    return;
  pacing_.record_trade(p.product, ev.new_position, now);
  if (!ev.new_position) {
    price at = ev.verdict.intent.limit_px;
    if (at.units <= 0)
      if (const auto* e = market_.find(p.product); e && e->top)
        at = e->top->ask;  // a market add takes the ask
    pyramid_.added(p.product, at, now);
    book_.reset();  // the next proposal sees this add
  }
  const auto& pol = engine_.policy();
  const auto& x = p.exits;
  // The proposal's level when it is one (finite and positive), else the policy's: an
  // infinite percentage would arm no stop at all.
  auto pick = [](double mine, double policy) { return std::isfinite(mine) && mine > 0 ? mine : policy; };
  exit_spec s{pick(x.stop_loss_pct, pol.stop_loss_pct), pick(x.take_profit_pct, pol.take_profit_pct),
              pick(x.stop_loss_atr, pol.stop_loss_atr), pick(x.take_profit_atr, pol.take_profit_atr)};
  plans_[p.product] = s;
}

std::optional<exit_signal> risk_desk::check_exit(const quote& q, ts_ns now) { return exits_.on_quote(q, now); }

void risk_desk::exit_sent(const product_id& p, exit_kind kind, ts_ns now) {
  exit_sent_at_[p] = now;
  if (kind == exit_kind::stop_loss)
    pacing_.record_stop_out(p, now);
}

void risk_desk::exit_failed(const product_id& p) {
  exits_.exit_failed(p);
  exit_sent_at_.erase(p);
}

trim_plan risk_desk::trims(ts_ns now) const {
  trim_plan out;
  if (!have_portfolio_ || !ledger_.reconciled)
    return out;
  auto plan = plan_trims(snapshot(), engine_.policy(), market_, now);
  out.notes = std::move(plan.notes);
  for (auto& in : plan.intents) {
    bool busy = exit_sent_at_.count(in.product) != 0;
    if (const auto* pp = exits_.find(in.product))
      busy = busy || pp->exiting;
    for (const auto& w : ledger_.working)
      busy = busy || (w.product == in.product && w.dir == side::sell);
    if (auto it = trim_sent_at_.find(in.product); it != trim_sent_at_.end())
      busy = busy || now - it->second < trim_spacing_ns;
    if (busy) {
      out.notes.push_back("product=" + in.product.value + " trim held back: an exit or trim is out");
      continue;
    }
    in.proposal_id = "auto_trim:" + in.product.value;
    out.intents.push_back(std::move(in));
  }
  return out;
}

bool risk_desk::resume_drawdown(ts_ns now) {
  auto ok = loss_.resume_drawdown(marks(now).nav, now);
  if (ok && last_loss_)
    std::erase_if(last_loss_->active, [](const loss_breach& b) { return b.reason == gate_reason::max_drawdown; });
  return ok;
}

} // namespace trader::risk
