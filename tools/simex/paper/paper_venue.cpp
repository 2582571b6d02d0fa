#include "tools/simex/paper/paper_venue.hpp"

#include <utility>

namespace trader::simex {

namespace {

order_state to_state(const order_record& o) {
  switch (o.status) {
    case order_status::pending:
    case order_status::open: return o.filled_size.units > 0 ? order_state::partially_filled : order_state::open;
    case order_status::filled: return order_state::filled;
    case order_status::cancelled: return order_state::canceled;
    case order_status::expired: return order_state::expired;
    case order_status::failed: return order_state::failed;
  }
  return order_state::unknown;
}

order_kind kind_of(const create_order& c) {
  if (c.type == order_type::market)
    return order_kind::market_ioc;
  switch (c.tif) {
    case time_in_force::gtc: return order_kind::limit_gtc;
    case time_in_force::gtd: return order_kind::limit_gtd;
    case time_in_force::ioc: return order_kind::limit_ioc;
    case time_in_force::fok: return order_kind::limit_fok;
  }
  return order_kind::limit_gtc;
}

} // namespace

order_update to_update(const order_record& o, ts_ns now) {
  order_update u;
  u.id = client_order_id{o.req.client_order_id};
  u.exchange_id = exchange_order_id{o.order_id};
  u.product = product_id{o.req.product_id};
  u.state = to_state(o);
  u.filled_size = o.filled_size;
  u.avg_fill_px = o.average_filled_price();
  u.total_fees = o.total_fees;
  if (o.status == order_status::failed || o.status == order_status::cancelled)
    u.reject_reason = o.cancel_message;
  u.ts_event = o.last_update;
  u.ts_recv = now;
  u.dir_known = true;
  u.dir = o.req.order_side == side::buy ? trader::side::buy : trader::side::sell;
  if (o.req.base_size)
    u.ordered_size = *o.req.base_size;
  u.limit_px = o.req.limit_price;
  return u;
}

fill to_fill(const fill_record& f, ts_ns now) {
  fill x;
  x.trade = trade_id{f.trade_id};
  x.order = client_order_id{f.client_order_id};
  x.exchange_order = exchange_order_id{f.order_id};
  x.product = product_id{f.product_id};
  x.dir = f.order_side == side::buy ? trader::side::buy : trader::side::sell;
  x.px = f.px;
  x.qty = f.qty;
  x.fee = f.commission;
  x.liq = f.liq == simex::liquidity::maker ? trader::liquidity::maker : trader::liquidity::taker;
  x.ts_event = f.time;
  x.ts_recv = now;
  return x;
}

paper_venue::paper_venue(paper_options o) : opts_(std::move(o)), ex_(exchange_config{opts_.seed}) {
  if (opts_.starting_cash.units > 0)
    ex_.deposit(opts_.user, opts_.quote_currency, as_amount(opts_.starting_cash));
  for (const auto& [currency, qty] : opts_.coins)
    if (qty.units > 0)
      ex_.deposit(opts_.user, currency, amount{qty.units});
}

void paper_venue::list(const product_id& p) {
  if (ex_.find_product(p.value))
    return;
  product pr;
  pr.id = p.value;
  auto dash = p.value.find('-');
  pr.base_currency = p.value.substr(0, dash);
  pr.quote_currency = dash == std::string::npos ? opts_.quote_currency : p.value.substr(dash + 1);
  pr.base_name = pr.base_currency;
  pr.quote_name = pr.quote_currency;
  // The live product's rules are the products actor's; the simulator accepts the finest
  // increments so it never refuses what the exchange would take.
  pr.base_increment = size::from_units(1);
  pr.quote_increment = price::from_units(1);
  pr.base_min_size = size::from_units(1);
  pr.quote_min_size = notional::from_units(1);
  pr.min_market_funds = notional::from_units(1);
  ex_.add_product(std::move(pr));
}

void paper_venue::on_quote(const quote& q, ts_ns now) {
  if (q.product.empty())
    return;
  list(q.product);
  auto& m = mirrors_[q.product.value];
  bool same = m.bid == q.bid && m.ask == q.ask && m.bid_qty == q.bid_size && m.ask_qty == q.ask_size;
  ex_.advance(now);
  if (!same) {
    if (m.bid_ref)
      ex_.house_remove(m.bid_ref, now);
    if (m.ask_ref)
      ex_.house_remove(m.ask_ref, now);
    m = mirror{0, 0, q.bid, q.ask, q.bid_size, q.ask_size};
    bool crossed = q.bid.units > 0 && q.ask.units > 0 && q.bid.units >= q.ask.units;
    // Each new level first trades with resting paper orders it crosses (the live market
    // moved through their price), then rests as the mirror of the live level.
    if (!crossed && q.ask.units > 0 && q.ask_size.units > 0)
      m.ask_ref = ex_.house_add(q.product.value, side::sell, q.ask, q.ask_size, now);
    if (!crossed && q.bid.units > 0 && q.bid_size.units > 0)
      m.bid_ref = ex_.house_add(q.product.value, side::buy, q.bid, q.bid_size, now);
  }
  std::vector<event> ev;
  ex_.drain_events(ev);
  for (auto& e : ev)
    if (std::holds_alternative<order_changed>(e) || std::holds_alternative<fill_happened>(e))
      pending_.push_back(std::move(e));
}

order_ack paper_venue::create(const create_order& c, ts_ns now) {
  order_request r;
  r.user = opts_.user;
  r.client_order_id = c.id.value;
  r.product_id = c.product.value;
  r.order_side = c.dir == trader::side::buy ? side::buy : side::sell;
  r.kind = kind_of(c);
  if (c.base_size.units > 0)
    r.base_size = c.base_size;
  else
    r.quote_size = c.quote_size;
  r.limit_price = c.type == order_type::limit ? c.limit_px : price{};
  r.end_time = c.tif == time_in_force::gtd ? c.end_time : 0;
  r.post_only = c.post_only;
  order_ack a;
  a.id = c.id;
  if (!ex_.find_product(c.product.value)) {
    a.failure_reason = "UNKNOWN_FAILURE_REASON";  // no live quote yet: nothing to trade against
    return a;
  }
  ex_.advance(now);
  auto res = ex_.place(r, now);
  std::vector<event> ev;
  ex_.drain_events(ev);
  for (auto& e : ev)
    if (std::holds_alternative<order_changed>(e) || std::holds_alternative<fill_happened>(e))
      pending_.push_back(std::move(e));
  if (!res.order) {
    a.failure_reason = std::string{res.why.reason};
    return a;
  }
  a.accepted = true;
  a.exchange_id = exchange_order_id{res.order->order_id};
  return a;
}

cancel_results paper_venue::cancel(const cancel_orders& c, ts_ns now) {
  cancel_results out;
  for (auto& id : c.ids) {
    auto r = ex_.cancel(opts_.user, id.value, now);
    out.results.push_back(trader::cancel_result{id, r.ok(), std::string{r.failure_reason}});
  }
  std::vector<event> ev;
  ex_.drain_events(ev);
  for (auto& e : ev)
    if (std::holds_alternative<order_changed>(e) || std::holds_alternative<fill_happened>(e))
      pending_.push_back(std::move(e));
  return out;
}

std::optional<order_update> paper_venue::find(const get_order& g) const {
  const order_record* o = !g.exchange_id.empty() ? ex_.find_order(opts_.user, g.exchange_id.value)
                                                 : ex_.find_by_client_id(opts_.user, g.id.value);
  if (!o && !g.id.empty())
    o = ex_.find_by_client_id(opts_.user, g.id.value);
  if (!o)
    return std::nullopt;
  return to_update(*o, o->last_update);
}

order_list paper_venue::open_orders(const list_open_orders& l, ts_ns now) const {
  order_list out;
  out.fetched = now;
  for (auto* o : ex_.open_orders(opts_.user))
    if (l.product.empty() || o->req.product_id == l.product.value)
      out.orders.push_back(to_update(*o, now));
  return out;
}

order_list paper_venue::recent_orders(const list_recent_orders& l, ts_ns now) const {
  order_list out;
  out.fetched = now;
  order_filter f;
  f.user = opts_.user;
  f.start = l.since;
  if (!l.product.empty())
    f.product_ids.push_back(l.product.value);
  std::string cursor;
  for (;;) {
    auto page = ex_.list_orders(f, cursor, 1000);
    for (auto* o : page.items)
      out.orders.push_back(to_update(*o, now));
    if (!page.has_next)
      break;
    cursor = page.cursor;
  }
  return out;
}

fill_list paper_venue::fills(const get_fills& g, ts_ns now) const {
  fill_list out;
  out.fetched = now;
  fill_filter f;
  f.user = opts_.user;
  f.start = g.since;
  if (!g.order.empty())
    f.order_ids.push_back(g.order.value);
  if (!g.product.empty())
    f.product_ids.push_back(g.product.value);
  std::string cursor;
  for (;;) {
    auto page = ex_.list_fills(f, cursor, 1000);
    for (auto* x : page.items)
      out.fills.push_back(to_fill(*x, now));
    if (!page.has_next)
      break;
    cursor = page.cursor;
  }
  return out;
}

balance_list paper_venue::balances(ts_ns now) const {
  balance_list out;
  out.fetched = now;
  if (auto* all = ex_.ledger().of(opts_.user))
    for (auto& [currency, b] : *all)
      out.balances.push_back(trader::balance{currency, notional::from_units(b.available.units), notional::from_units(b.hold.units)});
  return out;
}

paper_venue::facts paper_venue::drain(ts_ns now) {
  facts out;
  for (auto& e : pending_) {
    if (auto* oc = std::get_if<order_changed>(&e)) {
      if (oc->order.req.user == opts_.user)
        out.updates.push_back(to_update(oc->order, now));
    } else if (auto* fh = std::get_if<fill_happened>(&e)) {
      if (fh->fill.user == opts_.user)
        out.fills.push_back(to_fill(fh->fill, now));
    }
  }
  pending_.clear();
  return out;
}

} // namespace trader::simex
