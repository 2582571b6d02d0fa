// The matching loop, fills and settlement of exchange.

#include "tools/simex/engine/exchange.hpp"

#include "tools/simex/engine/exchange_internal.hpp"

#include <algorithm>

namespace trader::simex {

size affordable(notional budget, price px, rate fee, size inc) {
  // cost per unit including the fee, rounded up so the budget is never exceeded
  std::int64_t unit_fee = detail::mul_units(px.units, fee.units).value_or(0) + (fee.is_zero() ? 0 : 1);
  price eff = price::from_units(px.units + unit_fee);
  auto q = checked_div(budget, eff).value_or(size{});
  return floor_to(q, inc);
}

walk_result walk_book(const order_book& book, side taker_side, std::optional<price> limit,
                      std::optional<size> base_budget, std::optional<notional> quote_budget, rate fee_rate,
                      size base_increment) {
  walk_result w;
  bool done = false;
  book.for_each_level(opposite(taker_side), 0, [&](price px, size total) {
    if (done)
      return;
    if (limit && (taker_side == side::buy ? px > *limit : px < *limit)) {
      done = true;
      return;
    }
    size q = total;
    if (base_budget)
      q = std::min(q, *base_budget - w.base);
    if (quote_budget) {
      notional left = *quote_budget - w.quote - (taker_side == side::buy ? apply_rate(w.quote, fee_rate) : notional{});
      q = std::min(q, taker_side == side::buy ? affordable(left, px, fee_rate, base_increment)
                                              : floor_to(checked_div(left, px).value_or(size{}), base_increment));
    }
    if (q.units <= 0) {
      done = true;
      return;
    }
    w.base += q;
    w.quote += px * q;
  });
  return w;
}

order_record* exchange::by_ref(std::uint64_t ref) {
  if ((ref & house_bit) != 0 || ref == 0 || ref > orders_.size())
    return nullptr;
  return &orders_[ref - 1];
}

void exchange::match(market& m, taker& t, ts_ns now) {
  const side opp = opposite(t.s);
  const std::string* self = t.order != nullptr ? &t.order->req.user : nullptr;
  while (t.by_quote ? t.quote_left.units > 0 : t.base_left.units > 0) {
    price px;
    const book_entry* front = m.book.front(opp, px);
    if (front == nullptr)
      break;
    if (t.limit && (t.s == side::buy ? px > *t.limit : px < *t.limit))
      break;
    book_entry e = *front;
    order_record* maker = by_ref(e.ref);
    if (maker != nullptr && self != nullptr && maker->req.user == *self) {
      // Self-trade prevention: the resting order is cancelled, the taker continues.
      m.book.remove(opp, px, e.ref);
      finish(*maker, order_status::cancelled, now, "Self trade prevention");
      continue;
    }
    size qty = e.qty;
    if (t.by_quote) {
      size q = t.s == side::buy ? affordable(t.quote_left, px, t.fee, m.p.base_increment)
                                : floor_to(checked_div(t.quote_left, px).value_or(size{}), m.p.base_increment);
      qty = std::min(qty, q);
    } else {
      qty = std::min(qty, t.base_left);
    }
    if (qty.units <= 0)
      break;
    execute_maker(m, e, px, qty, t, now);
    if (t.by_quote) {
      // What settle_user charged: the notional at ledger precision and the fee on the exact
      // notional, so the budget left is the quote not yet spent, to the unit.
      const exact_notional exact = exact_notional::of(px, qty);
      const notional n = exact.rounded();
      t.quote_left -= t.s == side::buy ? n + apply_rate(exact, t.fee) : n;
    } else {
      t.base_left -= qty;
    }
  }
}

void exchange::execute_maker(market& m, const book_entry& e, price px, size qty, taker& t, ts_ns now) {
  const side maker_side = opposite(t.s);
  std::string trade = std::to_string(next_trade_id_++);
  m.book.consume_front(maker_side, qty);
  t.traded = true;
  if ((e.ref & house_bit) != 0) {
    if (house_order* h = house_find(e.ref)) {
      h->qty -= qty;
      if (h->qty.units <= 0) {
        house_release(*h);
        ++m.house_used_up;
      }
    }
  } else if (order_record* mo = by_ref(e.ref)) {
    settle_user(*mo, m.p, px, qty, liquidity::maker, trade, now);
    if (mo->leaves().units <= 0)
      finish(*mo, order_status::filled, now);
  }
  if (t.order != nullptr)
    settle_user(*t.order, m.p, px, qty, liquidity::taker, trade, now);
  trade_print tp{m.p.id, std::move(trade), px, qty, maker_side, now};
  m.stats.on_trade(tp);
  if (m.day_minute == now / ns_per_s / 60) {
    m.day.high = std::max(m.day.high, px);
    m.day.low = std::min(m.day.low, px);
    m.day.volume += qty;
    m.day.last = px;
  }
  emit(std::move(tp));
}

void exchange::settle_user(order_record& o, const product& p, price px, size qty, liquidity liq,
                           const std::string& trade, ts_ns now) {
  const std::string& user = o.req.user;
  const fee_tier& tier = cfg_.fees.tier_for(volume_30d(user, now));
  const exact_notional exact = exact_notional::of(px, qty);
  const notional n = exact.rounded();  // the ledger keeps 1e-8
  const notional fee = apply_rate(exact, liq == liquidity::maker ? tier.maker : tier.taker);
  if (o.req.order_side == side::buy) {
    amount cost = as_amount(n + fee);
    amount spent = std::min(cost, o.hold);
    ledger_.spend_hold(user, p.quote_currency, spent);
    o.hold -= spent;
    if (spent < cost)  // the hold was an estimate (self-trade prevention moved the book)
      ledger_.deposit(user, p.quote_currency, spent - cost);
    ledger_.credit(user, p.base_currency, as_amount(qty));
  } else {
    amount spent = std::min(as_amount(qty), o.hold);
    ledger_.spend_hold(user, p.base_currency, spent);
    o.hold -= spent;
    ledger_.credit(user, p.quote_currency, as_amount(n - fee));
  }
  o.filled_size += qty;
  o.filled_value += exact;
  o.total_fees += fee;
  ++o.number_of_fills;
  o.last_fill_time = o.last_update = now;

  add_volume(user, now, n, fee);

  fill_record& f = fills_.emplace_back();
  f.seq = next_fill_seq_++;
  f.entry_id = uuid_from(ids_);
  f.trade_id = trade;
  f.order_id = o.order_id;
  f.client_order_id = o.req.client_order_id;
  f.user = user;
  f.key_name = o.req.key_name;
  f.product_id = p.id;
  f.order_side = o.req.order_side;
  f.px = px;
  f.qty = qty;
  f.commission = fee;
  f.liq = liq;
  f.time = now;
  user_fills_[user].push_back(f.seq);
  emit(fill_happened{f});
  if (o.leaves().units > 0 || o.req.quote_size)
    emit(order_changed{o});
}

void exchange::finish(order_record& o, order_status s, ts_ns now, std::string_view message) {
  const product* p = find_product(o.req.product_id);
  if (o.hold.units > 0 && p != nullptr)
    ledger_.release_hold(o.req.user, o.req.order_side == side::buy ? p->quote_currency : p->base_currency, o.hold);
  o.hold = amount{};
  o.status = s;
  o.last_update = now;
  if (!message.empty())
    o.cancel_message = std::string{message};
  emit(order_changed{o});
}

namespace {

/// Whether touched[i] repeats an earlier entry (a level changed twice sends one update).
bool touched_before(const std::vector<touched_level>& touched, std::size_t i) {
  for (std::size_t j = 0; j < i; ++j)
    if (touched[j].book_side == touched[i].book_side && touched[j].level == touched[i].level)
      return true;
  return false;
}

} // namespace

void exchange::flush(market& m, ts_ns now, bool traded) {
  const auto& touched = m.book.touched();
  for (std::size_t i = 0; i < touched.size(); ++i) {
    if (touched_before(touched, i))
      continue;
    const auto& t = touched[i];
    ++m.seq;
    if (record_events_)
      emit(book_change{m.p.id, t.book_side, t.level, m.book.qty_at(t.book_side, t.level), now, m.seq});
  }
  m.book.clear_touched();
  // Coinbase sends a ticker on every match, not on book changes; the prints of one taker
  // (a cascade through several makers) share one ticker, sent after the book changes.
  if (!traded || !record_events_)
    return;
  auto bid = m.book.best(side::buy);
  auto ask = m.book.best(side::sell);
  std::int64_t minute = now / ns_per_s / 60;
  if (m.day_minute != minute) {
    m.day = m.stats.day(now);
    m.day_minute = minute;
  }
  ticker_change tc;
  tc.product_id = m.p.id;
  tc.last = m.stats.last();
  tc.best_bid = bid.value_or(price{});
  tc.best_ask = ask.value_or(price{});
  tc.best_bid_qty = bid ? m.book.qty_at(side::buy, *bid) : size{};
  tc.best_ask_qty = ask ? m.book.qty_at(side::sell, *ask) : size{};
  tc.volume_24h = m.day.volume;
  tc.low_24h = m.day.low;
  tc.high_24h = m.day.high;
  tc.open_24h = m.day.open;
  tc.time = now;
  emit(std::move(tc));
}

void exchange::emit(event e) {
  if (record_events_)
    events_.push_back(std::move(e));
}

void exchange::drain_events(std::vector<event>& out) {
  if (out.empty()) {
    out.swap(events_);
    return;
  }
  std::move(events_.begin(), events_.end(), std::back_inserter(out));
  events_.clear();
}

} // namespace trader::simex
