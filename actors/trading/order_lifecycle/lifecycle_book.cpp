#include "actors/trading/order_lifecycle/lifecycle_book.hpp"

#include "actors/trading/risk/trading_gate.hpp"
#include "messages/names.hpp"

#include <algorithm>
#include <cstdlib>

namespace trader::order_lifecycle {

using persistence::order_record;
using persistence::order_status;

persistence::order_status to_status(order_state s) {
  switch (s) {
    case order_state::created: return order_status::created;
    case order_state::open: return order_status::open;
    case order_state::partially_filled: return order_status::partially_filled;
    case order_state::filled: return order_status::filled;
    case order_state::canceled: return order_status::canceled;
    case order_state::expired: return order_status::expired;
    case order_state::rejected: return order_status::rejected;
    case order_state::failed: return order_status::failed;
    case order_state::unknown: return order_status::unknown;
  }
  return order_status::unknown;
}

order_state to_state(persistence::order_status s) {
  switch (s) {
    case order_status::created: return order_state::created;
    case order_status::open: return order_state::open;
    case order_status::partially_filled: return order_state::partially_filled;
    case order_status::filled: return order_state::filled;
    case order_status::canceled: return order_state::canceled;
    case order_status::expired: return order_state::expired;
    case order_status::rejected: return order_state::rejected;
    case order_status::failed: return order_state::failed;
    case order_status::unknown: return order_state::unknown;
  }
  return order_state::unknown;
}

persistence::order_side to_record_side(side s) {
  return s == side::buy ? persistence::order_side::buy : persistence::order_side::sell;
}
side to_side(persistence::order_side s) { return s == persistence::order_side::buy ? side::buy : side::sell; }

std::string gate_refusal(const gate_changed& g, bool reduce_only) {
  if (g.open)
    return {};
  for (auto& e : g.reasons) {
    bool blocks = !reduce_only || e.reason == gate_reason::kill_switch || risk::trading_gate::blocks_reduce_only(e.reason);
    if (blocks)
      return "GATE_CLOSED: reason=" + std::string{to_string(e.reason)}
             + " effect=" + (reduce_only ? "reduce_only" : "open_or_add");
  }
  return g.reasons.empty() && !reduce_only ? "GATE_CLOSED: reason=unknown effect=open_or_add" : "";
}

std::string strategy_of(const order_intent& in) {
  auto s = in.proposal_id.substr(0, in.proposal_id.find(':'));
  return s.empty() ? "manual" : s;
}

lifecycle_book::lifecycle_book(lifecycle_options opts)
  : opts_(std::move(opts)), ids_(opts_.client_id_namespace) {}

std::string lifecycle_book::restore(const std::vector<order_record>& orders,
                                    const std::vector<persistence::fill_record>& fills) {
  std::string problems;
  for (auto& r : orders) {
    ids_.observe(r.id.value);
    if (!persistence::is_open(r.status))
      continue;
    tracked_order o;
    o.rec = r;
    o.type = r.kind == persistence::order_kind::market ? order_type::market : order_type::limit;
    o.tif = o.type == order_type::market ? time_in_force::ioc : time_in_force::gtc;
    o.post_only = o.type == order_type::limit;  // the default execution policy
    o.placed_at = r.updated_at;
    o.recovering = r.status == order_status::created || r.status == order_status::unknown;
    if (auto parts = parse_client_order_id(r.id.value))
      o.strategy = parts->strategy;
    if (!r.exchange_id.empty())
      by_exchange_[r.exchange_id.value] = r.id.value;
    if (r.side == persistence::order_side::sell)
      sells_.open(r.id.value, r.product, r.qty);
    orders_[r.id.value] = std::move(o);
  }
  auto sorted = fills;
  std::sort(sorted.begin(), sorted.end(), [](auto& a, auto& b) {
    return a.ts_event != b.ts_event ? a.ts_event < b.ts_event : a.trade.value < b.trade.value;
  });
  for (auto& f : sorted) {
    ledger_fill lf;
    lf.trade = f.trade;
    lf.order = f.order;
    lf.product = f.product;
    lf.dir = to_side(f.side);
    lf.px = f.px;
    lf.qty = f.qty;  // stored in base (size_in_quote fills are converted before they are stored)
    lf.fee = f.fee;
    lf.ts_event = f.ts_event;
    auto r = ledger_.apply(lf);
    recent_.add(f.trade, f.ts_event);
    newest_fill_ = std::max(newest_fill_, f.ts_event);
    if (r.outcome == apply_outcome::invalid) {
      problems += "fill " + f.trade.value + ": " + r.reason + "; ";
      continue;
    }
    sells_.booked(f.order.value, f.qty);
    if (auto* pos = ledger_.find(f.product))
      meta_.on_fill(f.product, f.order, f.ts_event, *pos);
  }
  return problems;
}

lifecycle_book::prepared lifecycle_book::prepare(order_intent in, ts_ns now) {
  prepared p;
  if (in.product.empty())
    p.refused = "INVALID_INTENT: no product";
  else if (in.base_size.units <= 0 && in.quote_size.units <= 0)
    p.refused = "INVALID_INTENT: neither base_size nor quote_size";
  else if (in.base_size.units > 0 && in.quote_size.units > 0)
    p.refused = "INVALID_INTENT: both base_size and quote_size";
  else if (in.type == order_type::limit && in.limit_px.units <= 0)
    p.refused = "INVALID_INTENT: limit order without a positive limit_px";
  else if (in.type == order_type::market && in.post_only)
    in.post_only = false;  // a market order cannot be post-only
  if (!p.refused.empty())
    return p;
  if (in.dir == side::sell) {
    const position* held = ledger_.find(in.product);
    const size before = in.base_size;
    bool cut = false;
    p.refused = limit_sell(in, held ? held->qty : size{}, sells_.of(in.product), &cut);
    if (!p.refused.empty())
      return p;
    if (cut)
      p.cut = "sell cut from " + to_string(before) + " to " + to_string(in.base_size) +
              " (the position less the sells still working or awaiting their fills)";
  }
  auto strategy = strategy_of(in);
  if (in.id.empty())
    in.id = ids_.next(strategy, in.product, in.dir);
  else if (orders_.count(in.id.value))
    p.refused = "DUPLICATE_INTENT: client_order_id=" + in.id.value;
  else
    ids_.observe(in.id.value);
  if (!p.refused.empty())
    return p;
  auto& r = p.rec;
  r.id = in.id;
  r.product = in.product;
  r.side = to_record_side(in.dir);
  r.kind = in.type == order_type::market ? persistence::order_kind::market : persistence::order_kind::limit;
  r.limit_px = in.type == order_type::limit ? in.limit_px : price{};
  r.qty = in.base_size;
  r.status = order_status::created;
  r.reduce_only = in.reduce_only;
  r.created_at = now;
  r.updated_at = now;
  auto& c = p.create;
  c.id = in.id;
  c.product = in.product;
  c.dir = in.dir;
  c.type = in.type;
  c.tif = in.tif;
  c.base_size = in.base_size;
  c.quote_size = in.quote_size;
  c.limit_px = r.limit_px;
  c.post_only = in.post_only;
  c.end_time = in.expire_at;
  auto& o = p.order;
  o.rec = r;
  o.type = in.type;
  o.tif = in.tif;
  o.post_only = in.post_only;
  o.quote_size = in.quote_size;
  o.expire_at = in.expire_at;
  o.strategy = strategy;
  return p;
}

void lifecycle_book::track(const prepared& p) {
  orders_[p.rec.id.value] = p.order;
  if (p.rec.side == persistence::order_side::sell)
    sells_.open(p.rec.id.value, p.rec.product, p.rec.qty);
}

std::optional<tracked_order> lifecycle_book::adoption(const exchange_order& e, ts_ns now) const {
  if (!e.dir_known || e.ordered.units <= 0 || e.id.empty() || find_exchange(e.id))
    return std::nullopt;
  auto id = e.client_id.empty() ? client_order_id{"adopted-" + e.id.value} : e.client_id;
  if (find(id))
    return std::nullopt;
  tracked_order o;
  auto& r = o.rec;
  r.id = id;
  r.product = e.product;
  r.side = to_record_side(e.dir);
  r.kind = e.limit_px.units > 0 ? persistence::order_kind::limit : persistence::order_kind::market;
  r.limit_px = e.limit_px;
  r.qty = e.ordered;
  r.exchange_id = e.id;
  r.status = to_status(e.state == order_state::partially_filled ? order_state::partially_filled : order_state::open);
  r.filled_qty = e.filled;
  r.created_at = now;
  r.updated_at = now;
  r.last_error = "ADOPTED: open on the exchange, unknown to the store";
  o.type = r.kind == persistence::order_kind::market ? order_type::market : order_type::limit;
  o.tif = o.type == order_type::market ? time_in_force::ioc : time_in_force::gtc;
  o.post_only = false;  // not ours to age out: the TTL planner leaves it (post-only orders only)
  o.placed_at = now;
  o.strategy = "adopted";
  return o;
}

void lifecycle_book::adopt(const tracked_order& o) {
  ids_.observe(o.rec.id.value);  // an id of our namespace (a lost store) raises the sequence
  by_exchange_[o.rec.exchange_id.value] = o.rec.id.value;
  orders_[o.rec.id.value] = o;
}

bool lifecycle_book::finished_recently(const client_order_id& id, const exchange_order_id& ex) const {
  return (!id.empty() && finished_.count(id.value)) || (!ex.empty() && finished_.count(ex.value));
}

std::optional<create_order> lifecycle_book::resend_of(const tracked_order& o) const {
  if (o.rec.qty.units <= 0)
    return std::nullopt;  // sized in quote: not recorded, cannot be rebuilt
  create_order c;
  c.id = o.rec.id;
  c.product = o.rec.product;
  c.dir = to_side(o.rec.side);
  c.type = o.type;
  c.tif = o.tif;
  c.base_size = o.rec.qty;
  c.limit_px = o.rec.limit_px;
  c.post_only = o.post_only && o.type == order_type::limit;
  c.end_time = o.expire_at;
  return c;
}

const tracked_order* lifecycle_book::find(const client_order_id& id) const {
  auto i = orders_.find(id.value);
  return i == orders_.end() ? nullptr : &i->second;
}
tracked_order* lifecycle_book::find_mut(const client_order_id& id) {
  auto i = orders_.find(id.value);
  return i == orders_.end() ? nullptr : &i->second;
}
const tracked_order* lifecycle_book::find_exchange(const exchange_order_id& id) const {
  auto i = by_exchange_.find(id.value);
  return i == by_exchange_.end() ? nullptr : find(client_order_id{i->second});
}

lifecycle_book::order_change lifecycle_book::plan(tracked_order& o, const update_result& r, ts_ns now,
                                                  const exchange_order_id& ex, std::string last_error) {
  order_change c;
  c.known = true;
  c.from = o.rec.status == order_status::created ? order_state::created : to_state(o.rec.status);
  c.rec = o.rec;
  if (!r.step.accepted()) {
    c.why = r.step.why;
    c.reason = r.step.reason;
    return c;
  }
  c.to = r.next.state;
  c.rec.status = to_status(r.next.state);
  c.rec.filled_qty = r.next.filled;
  bool learnt = !ex.empty() && c.rec.exchange_id != ex;
  if (learnt)
    c.rec.exchange_id = ex;
  if (!last_error.empty())
    c.rec.last_error = std::move(last_error);
  c.changed = r.changed || learnt || c.rec.last_error != o.rec.last_error;
  c.rec.updated_at = now;
  return c;
}

namespace {
order_progress progress_of(const order_record& r) {
  return order_progress{to_state(r.status), r.qty, r.filled_qty};
}
} // namespace

lifecycle_book::order_change lifecycle_book::on_ack(const order_ack& a, ts_ns now) {
  auto* o = find_mut(a.id);
  if (!o)
    return {};
  o->in_flight = false;
  auto cur = progress_of(o->rec);
  if (a.accepted)
    return plan(*o, apply_event(cur, order_event::accepted), now, a.exchange_id, {});
  if (a.not_placed)
    return plan(*o, apply_event(cur, order_event::not_placed), now, {}, "NOT_PLACED: lost reply, unknown by client id");
  return plan(*o, apply_event(cur, order_event::rejected), now, a.exchange_id,
              a.failure_reason.empty() ? std::string{"REJECTED"} : a.failure_reason);
}

lifecycle_book::order_change lifecycle_book::on_event(const client_order_id& id, order_event e, std::string why,
                                                      ts_ns now) {
  auto* o = find_mut(id);
  if (!o)
    return {};
  if (e == order_event::send_timed_out || e == order_event::not_placed)
    o->in_flight = false;
  return plan(*o, apply_event(progress_of(o->rec), e), now, {}, std::move(why));
}

lifecycle_book::order_change lifecycle_book::on_update(const order_update& u, ts_ns now) {
  tracked_order* o = u.id.empty() ? nullptr : find_mut(u.id);
  if (!o && !u.exchange_id.empty())
    if (auto* c = find_exchange(u.exchange_id))
      o = find_mut(c->rec.id);
  if (!o)
    return {};
  if (o->rec.qty.units <= 0 && u.filled_size.units > 0) {  // sized in quote: the exchange's base
    auto& q = quote_track(o->rec.id.value);
    q.reported = std::max(q.reported, u.filled_size);
  }
  return plan(*o, apply_update(progress_of(o->rec), u), now, u.exchange_id, u.reject_reason);
}

lifecycle_book::quote_sized& lifecycle_book::quote_track(const std::string& client_id) {
  auto [it, added] = quote_orders_.try_emplace(client_id);
  if (added) {
    quote_keys_.push_back(client_id);
    if (quote_keys_.size() > max_finished) {
      quote_orders_.erase(quote_keys_.front());
      quote_keys_.pop_front();
    }
  }
  return quote_orders_[client_id];
}

void lifecycle_book::commit(const order_change& c, ts_ns now) {
  auto* o = find_mut(c.rec.id);
  if (!o || !c.changed)
    return;
  if (c.to == order_state::open && o->placed_at == 0)
    o->placed_at = now;
  if ((c.to == order_state::open || c.to == order_state::partially_filled) && o->placed_at == 0)
    o->placed_at = now;
  o->rec = c.rec;
  o->recovering = o->recovering && (c.to == order_state::created || c.to == order_state::unknown);
  if (!c.rec.exchange_id.empty())
    by_exchange_[c.rec.exchange_id.value] = c.rec.id.value;
  if (!is_live(c.to)) {
    if (!c.rec.exchange_id.empty())
      by_exchange_.erase(c.rec.exchange_id.value);
    remember_finished(c.rec.id.value, c.rec.exchange_id.value);
    sells_.finished(c.rec.id.value, c.rec.filled_qty);
    orders_.erase(c.rec.id.value);
  }
}

void lifecycle_book::remember_finished(const std::string& client_id, const std::string& exchange_id) {
  for (const auto& key : {client_id, exchange_id}) {
    if (key.empty() || !finished_.emplace(key, client_id).second)
      continue;
    finished_keys_.push_back(key);
  }
  while (finished_keys_.size() > max_finished) {
    finished_.erase(finished_keys_.front());
    finished_keys_.pop_front();
  }
}

std::string lifecycle_book::finished_order(const fill& f) const {
  for (const auto* key : {&f.order.value, &f.exchange_order.value})
    if (!key->empty())
      if (auto it = finished_.find(*key); it != finished_.end())
        return it->second;
  return {};
}

lifecycle_book::fill_plan lifecycle_book::plan_fill(const fill& f, ts_ns now) {
  fill_plan p;
  if (booked(f.trade)) {
    p.duplicate = true;
    return p;
  }
  auto lf = to_ledger_fill(f, f.size_in_quote);
  if (lf.size_in_quote)
    lf.base_increment = base_increment(lf.product);
  const tracked_order* owner = f.order.empty() ? nullptr : find(f.order);
  if (!owner && !f.exchange_order.empty())
    owner = find_exchange(f.exchange_order);
  if (owner && lf.order.empty())
    lf.order = owner->rec.id;
  // Not live any more but known: finished before this fill came (its terminal update first).
  auto finished = owner ? std::string{} : finished_order(f);
  if (!finished.empty() && lf.order.empty())
    lf.order = client_order_id{finished};
  // Sized in quote: when this fill completes the base the exchange reported for its order,
  // book exactly the rest of it (the exchange's figure), not the rounded quotient.
  if (lf.size_in_quote && !lf.order.empty())
    if (auto it = quote_orders_.find(lf.order.value); it != quote_orders_.end()) {
      const size rest = it->second.reported - it->second.booked;
      const auto rounded = base_size_of(lf);
      if (rest.units > 0 && rounded && std::llabs(rest.units - rounded->units) <= quote_rounding_units)
        lf.base_reported = rest;
    }
  auto base = base_size_of(lf);
  p.size_in_quote = lf.size_in_quote;
  p.next = ledger_;
  p.applied = p.next.apply(lf);
  if (p.applied.outcome == apply_outcome::duplicate) {
    p.duplicate = true;
    return p;
  }
  if (p.applied.outcome == apply_outcome::invalid) {
    p.invalid = p.applied.reason;
    return p;
  }
  auto& fr = p.commit.fill;
  fr.trade = f.trade;
  fr.order = lf.order;
  fr.exchange_order = f.exchange_order;
  fr.product = f.product;
  fr.side = to_record_side(f.dir);
  fr.px = f.px;
  fr.qty = base.value_or(size{});  // always base in the store
  fr.fee = f.fee;
  fr.liquidity = f.liq == liquidity::maker   ? persistence::fill_liquidity::maker
                 : f.liq == liquidity::taker ? persistence::fill_liquidity::taker
                                             : persistence::fill_liquidity::unknown;
  fr.ts_event = f.ts_event;
  fr.ts_recv = f.ts_recv ? f.ts_recv : now;
  const position* pos = p.next.find(f.product);
  auto& pr = p.commit.position;
  pr.product = f.product;
  if (pos) {
    pr.qty = pos->qty;
    pr.avg_entry = pos->avg_entry();
    pr.fees = pos->fees;
    pr.realized_pnl = pos->realized;
  }
  pr.updated_at = f.ts_event;
  p.commit.realized = p.applied.realized;
  p.commit.fee = f.fee;
  if (!owner) {
    p.unknown_order = finished.empty();
    return p;
  }
  auto* o = find_mut(owner->rec.id);
  auto r = apply_fill(progress_of(o->rec), fr.qty);
  auto c = plan(*o, r, now, f.exchange_order, {});
  if (!r.step.accepted())
    p.order_refused = r.step.reason;
  else if (c.changed)
    p.commit.order = c.rec;
  p.order = c;
  return p;
}

void lifecycle_book::commit_fill(fill_plan&& p, ts_ns now) {
  newest_fill_ = std::max(newest_fill_, p.commit.fill.ts_event);
  if (p.size_in_quote && !p.commit.fill.order.empty())
    quote_track(p.commit.fill.order.value).booked += p.commit.fill.qty;
  ledger_ = std::move(p.next);
  sells_.booked(p.commit.fill.order.value, p.commit.fill.qty);
  recent_.add(p.commit.fill.trade, p.commit.fill.ts_event);
  if (auto* pos = ledger_.find(p.commit.fill.product))
    meta_.on_fill(p.commit.fill.product, p.commit.fill.order, p.commit.fill.ts_event, *pos);
  if (p.order && p.order->changed && p.order_refused.empty())
    commit(*p.order, now);
}

ttl_plan lifecycle_book::stale(ts_ns now) {
  std::vector<resting_order> rest;
  for (auto& [id, o] : orders_) {
    auto st = to_state(o.rec.status);
    if (st != order_state::open && st != order_state::partially_filled)
      continue;
    rest.push_back(resting_order{o.rec.id, st, o.type, o.post_only, o.placed_at, o.cancel_requested_at});
  }
  return plan_stale_cancels(rest, now, opts_.ttl);
}

void lifecycle_book::cancel_requested(const client_order_id& id, ts_ns now) {
  if (auto* o = find_mut(id))
    o->cancel_requested_at = now;
}

portfolio_update lifecycle_book::portfolio(ts_ns now) const {
  std::vector<working_order> working;
  for (auto& [id, o] : orders_)
    if (auto w = to_working(o.rec, o.quote_size, o.strategy))
      working.push_back(std::move(*w));
  return make_portfolio(ledger_, meta_, std::move(working), now);
}

} // namespace trader::order_lifecycle
