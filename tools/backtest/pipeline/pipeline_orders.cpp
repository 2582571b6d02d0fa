// The order side of the pipeline: intents become simex orders under deterministic client
// ids, fills are booked once into the ledger and the order state machine, positions are
// armed with their protective exits, and round trips are closed into the record.

#include "tools/backtest/pipeline/pipeline.hpp"

#include "tools/backtest/pipeline/pipeline_records.hpp"

#include "actors/trading/risk/intent_json.hpp"
#include "actors/trading/risk/sizing.hpp"
#include "actors/trading/signals/indicators.hpp"
#include "messages/names.hpp"

#include <nlohmann/json.hpp>

namespace trader::backtest {

namespace {

constexpr const char* user = "bt";

simex::order_kind kind_of(const order_intent& i) {
  if (i.type == order_type::market)
    return simex::order_kind::market_ioc;
  switch (i.tif) {
    case time_in_force::gtc: return simex::order_kind::limit_gtc;
    case time_in_force::gtd: return simex::order_kind::limit_gtd;
    case time_in_force::ioc: return simex::order_kind::limit_ioc;
    case time_in_force::fok: return simex::order_kind::limit_fok;
  }
  return simex::order_kind::limit_gtc;
}

simex::side to_simex(side s) { return s == side::buy ? simex::side::buy : simex::side::sell; }

std::string text(notional n) { return n.is_zero() ? "" : to_string(n); }
std::string text(size n) { return n.is_zero() ? "" : to_string(n); }
std::string text(price n) { return n.is_zero() ? "" : to_string(n); }

} // namespace

void pipeline::send(order_intent intent, const std::string& strategy, const std::string& purpose, ts_ns now) {
  nlohmann::ordered_json j{{"kind", "intent"},
                           {"ts", now},
                           {"id", intent.id.value},
                           {"proposal", intent.proposal_id},
                           {"product", intent.product.value},
                           {"side", to_string(intent.dir)},
                           {"type", to_string(intent.type)},
                           {"tif", to_string(intent.tif)},
                           {"limit_px", to_string(intent.limit_px)},
                           {"base_size", to_string(intent.base_size)},
                           {"quote_size", to_string(intent.quote_size)},
                           {"post_only", intent.post_only},
                           {"reduce_only", intent.reduce_only},
                           {"purpose", purpose}};
  rec_.audit_line(j.dump());  // the decision (verdict or exit) was hashed when it was made

  simex::order_request req;
  req.user = user;
  req.client_order_id = intent.id.value;
  req.product_id = intent.product.value;
  req.order_side = to_simex(intent.dir);
  req.kind = kind_of(intent);
  if (!intent.base_size.is_zero())
    req.base_size = intent.base_size;
  else
    req.quote_size = intent.quote_size;
  req.limit_price = intent.limit_px;
  req.end_time = req.kind == simex::order_kind::limit_gtd ? intent.expire_at : 0;
  req.post_only = intent.post_only;

  order_row row;
  row.id = intent.id.value;
  row.product = intent.product.value;
  row.strategy = strategy;
  row.side = std::string{to_string(intent.dir)};
  row.type = std::string{to_string(intent.type)};
  row.tif = std::string{to_string(intent.tif)};
  row.post_only = intent.post_only;
  row.reduce_only = intent.reduce_only;
  row.limit_px = text(intent.limit_px);
  row.base_size = text(intent.base_size);
  row.quote_size = text(intent.quote_size);
  row.purpose = purpose;
  row.created = now;

  auto placed = m_.exchange().place(req, now);
  if (placed.why) {
    row.state = std::string{to_string(order_state::rejected)};
    row.reject = std::string{placed.why.reason};
    row.done = now;
    no_trade("EXCHANGE_" + row.reject);
    rec_.orders.push_back(std::move(row));
    if (purpose != "entry") {
      exits_.exit_failed(intent.product);
    } else if (auto t = trips_.find(intent.product.value); t != trips_.end() && t->second.entry_value == 0) {
      trips_.erase(t);
    }
    return;
  }
  row.exchange_id = placed.order->order_id;
  rec_.orders.push_back(std::move(row));
  auto t = std::make_unique<tracked>();
  t->intent = std::move(intent);
  t->strategy = strategy;
  t->purpose = purpose;
  t->exchange_id = placed.order->order_id;
  t->progress = {order_state::created, t->intent.base_size, size{}};
  t->row = rec_.orders.size() - 1;
  orders_.emplace(t->intent.id.value, std::move(t));
  poll_orders(now);
}

void pipeline::poll_orders(ts_ns now) {
  std::vector<std::pair<tracked*, order_state>> done;
  for (auto& [id, o] : orders_) {
    const auto* r = m_.exchange().find_by_client_id(user, id);
    if (r == nullptr)
      continue;
    if (r->number_of_fills > o->fills_seen) {
      simex::fill_filter f;
      f.user = user;
      f.order_ids = {o->exchange_id};
      auto page = m_.exchange().list_fills(f, "", static_cast<std::size_t>(r->number_of_fills - o->fills_seen));
      for (auto it = page.items.rbegin(); it != page.items.rend(); ++it) {  // oldest first
        const auto& x = **it;
        on_fill(*o, x.trade_id, x.order_side, x.px, x.qty, x.commission, x.liq == simex::liquidity::maker, x.time);
      }
      o->fills_seen = r->number_of_fills;
    }
    if (o->progress.state == order_state::created && !simex::is_terminal(r->status))
      o->progress = order_lifecycle::apply_event(o->progress, order_lifecycle::order_event::accepted).next;
    switch (r->status) {
      case simex::order_status::filled: done.emplace_back(o.get(), order_state::filled); break;
      case simex::order_status::cancelled: done.emplace_back(o.get(), order_state::canceled); break;
      case simex::order_status::expired: done.emplace_back(o.get(), order_state::expired); break;
      case simex::order_status::failed: done.emplace_back(o.get(), order_state::rejected); break;
      case simex::order_status::pending:
      case simex::order_status::open: break;
    }
  }
  for (auto& [o, st] : done)
    on_done(*o, st, now);
}

void pipeline::on_fill(tracked& o, const std::string& trade, simex::side s, price px, size qty, notional fee,
                       bool maker, ts_ns t) {
  const side dir = s == simex::side::buy ? side::buy : side::sell;
  order_lifecycle::ledger_fill lf{trade_id{trade}, o.intent.id, o.intent.product, dir, px, qty, false, size{}, size{}, fee, size{}, t};
  auto res = ledger_.apply(lf);
  if (res.outcome != order_lifecycle::apply_outcome::applied)
    return;
  o.progress = order_lifecycle::apply_fill(o.progress, qty).next;
  pacing_.record_fill(o.intent.product, t);
  const double value = (px * qty).to_double();
  rec_.fees += fee.to_double();
  rec_.traded += value;
  rec_.fills.push_back(fill_row{trade, o.intent.id.value, o.intent.product.value, std::string{to_string(dir)},
                                to_string(px), to_string(qty), to_string(fee), maker ? "maker" : "taker", t});
  rec_.audit_line(nlohmann::ordered_json{{"kind", "fill"}, {"ts", t}, {"order", o.intent.id.value}, {"trade", trade},
                                         {"px", to_string(px)}, {"qty", to_string(qty)}, {"fee", to_string(fee)}}
                    .dump());
  const auto& p = o.intent.product;
  auto& tr = trips_[p.value];
  if (tr.opened == 0) {
    tr.opened = t;
    tr.strategy = o.strategy;
  }
  tr.pnl += res.realized.to_double();
  const auto* pos = ledger_.find(p);
  if (dir == side::buy) {
    tr.entry_value += value;
    if (o.purpose == "entry")
      tr.initial += qty;
    auto plan = plans_.find(p.value);
    const risk::exit_spec spec = plan != plans_.end() ? plan->second
                                                      : risk::exit_spec{s_.policy.stop_loss_pct, s_.policy.take_profit_pct,
                                                                        s_.policy.stop_loss_atr, s_.policy.take_profit_atr};
    price atr;
    if (const auto* series = signals_.store().series(p, signals_.base()); series != nullptr && series->size() > 15)
      if (auto a = signals::atr(series->last(64), 14); !a.empty())
        atr = price::from_double(a.back());
    exits_.arm(risk::protect(p, pos->qty, pos->avg_entry(), spec, atr, m_.rules(p.value).price_increment));
    return;
  }
  if (pos == nullptr || pos->flat() || pos->qty.is_negative()) {
    exits_.disarm(p);
    std::string reason = exit_reason_.count(p.value) ? exit_reason_[p.value] : o.purpose;
    if (reason == "stop_loss")
      pacing_.record_stop_out(p, t);
    rec_.trades.push_back(trade_row{p.value, tr.strategy, reason, tr.opened, t, tr.entry_value, tr.pnl});
    trips_.erase(p.value);
    plans_.erase(p.value);
    exit_reason_.erase(p.value);
  } else {
    exits_.resize(p, pos->qty);
  }
}

void pipeline::on_done(tracked& o, order_state final_state, ts_ns now) {
  auto& row = rec_.orders[o.row];
  row.state = std::string{to_string(final_state)};
  row.done = now;
  if (const auto* r = m_.exchange().find_by_client_id(user, o.intent.id.value)) {
    row.filled = to_string(r->filled_size);
    row.avg_px = to_string(r->average_filled_price());
    row.fees = to_string(r->total_fees);
  }
  const auto p = o.intent.product;
  if (o.purpose != "entry") {
    const auto* pos = ledger_.find(p);
    if (pos != nullptr && !pos->flat() && !pos->qty.is_negative()) {
      exits_.exit_failed(p);  // fire again on the next crossing quote
      exit_reason_.erase(p.value);
    }
  } else if (auto t = trips_.find(p.value); t != trips_.end() && t->second.entry_value == 0) {
    trips_.erase(t);  // the entry never filled
  }
  orders_.erase(o.intent.id.value);
}

void pipeline::check_exits(ts_ns now) {
  for (const auto& p : products_) {
    const product_id pid{p};
    if (exits_.find(pid) == nullptr)
      continue;
    auto q = m_.top(p, now);
    if (!q)
      continue;
    auto sig = exits_.on_quote(*q, now);
    if (!sig)
      continue;
    auto g = gate_.check(risk::order_effect::reduce_only);
    if (!g.allowed) {
      no_trade("exit_blocked:" + std::string{to_string(*g.blocking)});
      exits_.exit_failed(pid);
      continue;
    }
    const std::string kind{risk::name(sig->kind)};
    auto t = trips_.find(p);
    const std::string strategy = t != trips_.end() ? t->second.strategy : "exit";
    order_intent intent = sig->intent;
    intent.id = ids_.next(strategy, pid, side::sell);
    intent.proposal_id = kind;
    intent.ts_created = now;
    exit_reason_[p] = kind;
    rec_.decision("risk_exit", {{"kind", kind}, {"detail", sig->detail}, {"sent", true}, {"intent", risk::intent_json(intent)}},
                  now);
    send(std::move(intent), strategy, kind, now);
  }
}

void pipeline::finish(ts_ns now) {
  std::vector<std::string> ids;
  for (const auto& [id, o] : orders_)
    ids.push_back(o->exchange_id);
  for (const auto& x : ids)
    m_.exchange().cancel(user, x, now);
  poll_orders(now);
  update_limits(now);
}

void pipeline::refresh_fees(ts_ns now) {
  fees_at_ = now;
  const auto f = m_.exchange().fees_of(user, now);
  if (f.tier == nullptr)
    return;  // no tier: the policy's fallback rates stay, as in traderd
  if (auto rates = risk::reported_fee_rates(f.tier->maker.to_double(), f.tier->taker.to_double()))
    engine_.set_fees(*rates);
}

} // namespace trader::backtest
