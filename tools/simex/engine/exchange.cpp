#include "tools/simex/engine/exchange.hpp"

#include "tools/simex/engine/exchange_internal.hpp"

#include <algorithm>
#include <stdexcept>

namespace trader::simex {

namespace {

reject fail(std::string_view reason, std::string_view preview, std::string message) {
  return reject{reason, preview, std::move(message)};
}

bool on_grid(std::int64_t units, std::int64_t inc) {
  return inc <= 0 || units % inc == 0;
}

} // namespace

exchange::exchange(exchange_config cfg)
  : cfg_(std::move(cfg)), ids_(cfg_.seed), next_trade_id_(cfg_.first_trade_id) {
  // nop
}

exchange::~exchange() = default;

// -- products -------------------------------------------------------------------------

void exchange::add_product(product p) {
  auto it = markets_.find(p.id);
  if (it != markets_.end()) {
    it->second->p = std::move(p);
    return;
  }
  product_ids_.push_back(p.id);
  auto m = std::make_unique<market>();
  m->p = std::move(p);
  market_list_.push_back(m.get());
  markets_.emplace(m->p.id, std::move(m));
}

exchange::market* exchange::find_market(std::string_view id) {
  auto it = markets_.find(id);
  return it == markets_.end() ? nullptr : it->second.get();
}

const exchange::market* exchange::find_market(std::string_view id) const {
  auto it = markets_.find(id);
  return it == markets_.end() ? nullptr : it->second.get();
}

const product* exchange::find_product(std::string_view id) const {
  auto* m = find_market(id);
  return m == nullptr ? nullptr : &m->p;
}

void exchange::set_status(std::string_view id, product_status s, ts_ns now) {
  auto* m = find_market(id);
  if (m == nullptr || m->p.status == s)
    return;
  m->p.status = s;
  emit(status_changed{m->p.id, s, now});
}

void exchange::add_prior_volume(std::string_view user, notional usd, ts_ns when) {
  add_volume(std::string{user}, when, usd, notional{});
}

void exchange::add_volume(const std::string& user, ts_ns when, notional usd, notional fee) {
  auto& v = volume_[user];
  auto pos = v.entries.end();
  while (pos != v.entries.begin() && std::prev(pos)->time > when)
    --pos;  // prior volume may be older than recorded fills
  v.entries.insert(pos, volume_entry{when, usd, fee});
  v.usd += usd;
  v.fee += fee;
  while (!v.entries.empty() && v.entries.front().time <= when - fee_window) {
    v.usd -= v.entries.front().usd;
    v.fee -= v.entries.front().fee;
    v.entries.pop_front();
  }
}

// -- orders ---------------------------------------------------------------------------

reject exchange::validate(order_request& r, const market& m, ts_ns now, amount& hold) const {
  const product& p = m.p;
  const bool market_order = r.kind == order_kind::market_ioc;
  if (p.status == product_status::offline || p.trading_disabled)
    return fail("UNTRADABLE_PRODUCT", "PREVIEW_UNTRADABLE_PRODUCT", "product is not tradable: " + p.id);
  if (p.cancel_only())
    return fail("ORDER_ENTRY_DISABLED", "PREVIEW_UNTRADABLE_PRODUCT", "product is cancel only: " + p.id);
  if (p.limit_only() && market_order)
    return fail("ORDER_ENTRY_DISABLED", "PREVIEW_INVALID_ORDER_CONFIG", "product is limit only: " + p.id);
  if (p.post_only() && (market_order || !r.post_only))
    return fail("ORDER_ENTRY_DISABLED", "PREVIEW_INVALID_ORDER_CONFIG", "product is post only: " + p.id);
  if (r.base_size.has_value() == r.quote_size.has_value())
    return fail("UNSUPPORTED_ORDER_CONFIGURATION", "PREVIEW_INVALID_ORDER_CONFIG",
                "exactly one of base_size and quote_size is required");
  if (market_order && r.post_only)
    return fail("UNSUPPORTED_ORDER_CONFIGURATION", "PREVIEW_INVALID_ORDER_CONFIG", "post_only on a market order");
  if (r.kind == order_kind::limit_fok && r.post_only)
    return fail("POST_ONLY_NOT_ALLOWED_WITH_FOK", "PREVIEW_INVALID_ORDER_CONFIG", "post_only is not allowed with FOK");
  if (r.kind == order_kind::limit_ioc && r.post_only)
    return fail("UNSUPPORTED_ORDER_CONFIGURATION", "PREVIEW_INVALID_ORDER_CONFIG", "post_only is not allowed with IOC");
  if (r.quote_size) {
    if (r.quote_size->units <= 0)
      return fail("INVALID_SIZE_PRECISION", "PREVIEW_INVALID_QUOTE_SIZE_PRECISION", "quote_size must be positive");
    if (!on_grid(r.quote_size->units, p.quote_increment.units))
      return fail("INVALID_SIZE_PRECISION", "PREVIEW_INVALID_QUOTE_SIZE_PRECISION",
                  "quote_size is not a multiple of quote_increment " + to_string(p.quote_increment));
  }
  if (!market_order) {
    if (r.limit_price.units <= 0)
      return fail("INVALID_LIMIT_PRICE", "PREVIEW_INVALID_LIMIT_PRICE", "limit_price must be positive");
    if (!on_grid(r.limit_price.units, p.quote_increment.units))
      return fail("INVALID_PRICE_PRECISION", "PREVIEW_INVALID_PRICE_PRECISION",
                  "limit_price is not a multiple of quote_increment " + to_string(p.quote_increment));
    if (r.quote_size) {  // limit by quote: the base size the quote buys at the limit
      r.base_size = floor_to(checked_div(*r.quote_size, r.limit_price).value_or(size{}), p.base_increment);
      r.quote_size.reset();
    }
    if (r.kind == order_kind::limit_gtd) {
      if (r.end_time == 0)
        return fail("GTD_ORDERS_MUST_HAVE_END_TIME", "PREVIEW_INVALID_END_TIME", "end_time is required");
      if (r.end_time <= now)
        return fail("END_TIME_IS_IN_THE_PAST", "PREVIEW_INVALID_END_TIME", "end_time is in the past");
    }
  }
  if (r.base_size) {
    if (!on_grid(r.base_size->units, p.base_increment.units))
      return fail("INVALID_SIZE_PRECISION", "PREVIEW_INVALID_SIZE_PRECISION",
                  "base_size is not a multiple of base_increment " + to_string(p.base_increment));
    if (*r.base_size < p.base_min_size || r.base_size->units <= 0)
      return fail("UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_BASE_SIZE_TOO_SMALL",
                  "base_size is below base_min_size " + to_string(p.base_min_size));
    if (*r.base_size > p.base_max_size)
      return fail("UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_BASE_SIZE_TOO_LARGE",
                  "base_size is above base_max_size " + to_string(p.base_max_size));
  }
  notional value;
  if (!market_order)
    value = checked_mul(r.limit_price, *r.base_size).value_or(notional::from_units(INT64_MAX));
  else if (r.quote_size)
    value = *r.quote_size;
  else if (auto ref = m.book.best(opposite(r.order_side)))
    value = *ref * *r.base_size;
  if (value < p.quote_min_size && (!market_order || r.quote_size || m.book.best(opposite(r.order_side))))
    return fail("UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_QUOTE_SIZE_TOO_SMALL",
                "order value is below quote_min_size " + to_string(p.quote_min_size));
  if (value > p.quote_max_size)
    return fail("UNKNOWN_FAILURE_REASON", "PREVIEW_INVALID_QUOTE_SIZE_TOO_LARGE",
                "order value is above quote_max_size " + to_string(p.quote_max_size));
  if (r.post_only && m.book.crosses(r.order_side, r.limit_price))
    return fail("INVALID_LIMIT_PRICE_POST_ONLY", "PREVIEW_INVALID_LIMIT_PRICE_POST_ONLY",
                "post-only order would cross the book");
  if (market_order && !m.book.best(opposite(r.order_side)))
    return fail("INVALID_NO_LIQUIDITY", "PREVIEW_INVALID_NO_LIQUIDITY", "no liquidity on the book");

  const rate taker = cfg_.fees.tier_for(volume_30d(r.user, now)).taker;
  if (r.order_side == side::buy) {
    if (!market_order) {
      notional n = value;
      hold = as_amount(n + apply_rate(n, taker));
    } else if (r.quote_size) {
      hold = as_amount(*r.quote_size);
    } else {
      auto w = walk_book(m.book, side::buy, std::nullopt, r.base_size, std::nullopt, taker, p.base_increment);
      hold = as_amount(w.quote + apply_rate(w.quote, taker));
    }
  } else if (r.base_size) {
    hold = as_amount(*r.base_size);
  } else {  // market sell by quote: the base needed to raise quote_size
    auto w = walk_book(m.book, side::sell, std::nullopt, std::nullopt, r.quote_size, rate{}, p.base_increment);
    hold = as_amount(w.base);
  }
  const auto& ccy = r.order_side == side::buy ? p.quote_currency : p.base_currency;
  const balance* b = ledger_.find(r.user, ccy);
  if (b == nullptr || b->available < hold)
    return fail("INSUFFICIENT_FUND", "PREVIEW_INSUFFICIENT_FUND",
                "insufficient " + ccy + " balance: need " + to_string(hold));
  return {};
}

place_result exchange::place(const order_request& req, ts_ns now) {
  advance(now);
  std::string coid_key;
  if (!req.client_order_id.empty()) {
    coid_key = req.user + '\n' + req.client_order_id;
    auto it = by_client_id_.find(coid_key);
    if (it != by_client_id_.end())
      return {&orders_[it->second - 1], true, {}};
  }
  market* m = find_market(req.product_id);
  if (m == nullptr)
    return {nullptr, false, fail("INVALID_PRODUCT_ID", "PREVIEW_INVALID_PRODUCT_ID", "unknown product " + req.product_id)};
  order_request r = req;
  amount hold;
  if (auto why = validate(r, *m, now, hold))
    return {nullptr, false, std::move(why)};
  const product& p = m->p;
  const auto& ccy = r.order_side == side::buy ? p.quote_currency : p.base_currency;
  if (!ledger_.place_hold(r.user, ccy, hold))
    return {nullptr, false, fail("INSUFFICIENT_FUND", "PREVIEW_INSUFFICIENT_FUND", "insufficient " + ccy)};

  order_record& o = orders_.emplace_back();
  o.seq = orders_.size();
  o.order_id = uuid_from(ids_);
  o.req = std::move(r);
  o.status = order_status::open;
  o.created = o.last_update = now;
  o.hold = hold;
  by_order_id_.emplace(o.order_id, o.seq);
  if (!coid_key.empty())
    by_client_id_.emplace(std::move(coid_key), o.seq);
  user_orders_[o.req.user].push_back(o.seq);

  taker t;
  t.order = &o;
  t.s = o.req.order_side;
  t.fee = cfg_.fees.tier_for(volume_30d(o.req.user, now)).taker;
  if (o.req.kind != order_kind::market_ioc)
    t.limit = o.req.limit_price;
  if (o.req.quote_size) {
    t.by_quote = true;
    t.quote_left = *o.req.quote_size;
  } else {
    t.base_left = *o.req.base_size;
  }
  // Fill-or-kill: only when the whole size is available at the limit or better.
  const bool killed = o.req.kind == order_kind::limit_fok
                      && walk_book(m->book, t.s, t.limit, o.req.base_size, std::nullopt, t.fee, m->p.base_increment).base
                           < *o.req.base_size;
  if (!o.req.post_only && !killed)
    match(*m, t, now);
  if (o.status == order_status::open) {
    if (is_immediate(o.req.kind)) {
      bool complete = o.req.base_size ? o.leaves().is_zero() : t.traded;
      finish(o, complete ? order_status::filled : order_status::cancelled, now,
             complete ? std::string_view{} : std::string_view{"Immediate order could not be completely filled"});
    }
    else if (o.leaves().is_zero())
      finish(o, order_status::filled, now);
    else
      rest(*m, o, now);
  }
  flush(*m, now, t.traded);
  return {&o, false, {}};
}

void exchange::rest(market& m, order_record& o, ts_ns now) {
  m.book.add(o.req.order_side, o.req.limit_price, {o.seq, o.leaves()});
  if (o.req.kind == order_kind::limit_gtd)
    gtd_.push_back(o.seq);
  o.last_update = now;
  emit(order_changed{o});
}

cancel_result exchange::cancel(std::string_view user, std::string_view order_id, ts_ns now) {
  advance(now);
  auto it = by_order_id_.find(std::string{order_id});
  if (it == by_order_id_.end() || orders_[it->second - 1].req.user != user)
    return {"UNKNOWN_CANCEL_ORDER"};
  order_record& o = orders_[it->second - 1];
  switch (o.status) {
    case order_status::filled: return {"ORDER_IS_FULLY_FILLED"};
    case order_status::cancelled: return {"DUPLICATE_CANCEL_REQUEST"};
    case order_status::expired:
    case order_status::failed: return {"INVALID_CANCEL_REQUEST"};
    case order_status::pending:
    case order_status::open: break;
  }
  market* m = find_market(o.req.product_id);
  m->book.remove(o.req.order_side, o.req.limit_price, o.seq);
  finish(o, order_status::cancelled, now, "User requested cancel");
  flush(*m, now, false);
  return {};
}

void exchange::advance(ts_ns now) {
  if (gtd_.empty())
    return;
  std::vector<std::uint64_t> keep;
  keep.reserve(gtd_.size());
  std::vector<std::uint64_t> due;
  for (auto seq : gtd_) {
    order_record& o = orders_[seq - 1];
    if (is_terminal(o.status))
      continue;
    if (o.req.end_time <= now)
      due.push_back(seq);
    else
      keep.push_back(seq);
  }
  gtd_.swap(keep);
  for (auto seq : due) {
    order_record& o = orders_[seq - 1];
    market* m = find_market(o.req.product_id);
    m->book.remove(o.req.order_side, o.req.limit_price, o.seq);
    finish(o, order_status::expired, o.req.end_time);
    flush(*m, now, false);
  }
}

// -- house ----------------------------------------------------------------------------

exchange::house_order* exchange::house_find(std::uint64_t ref) {
  const auto slot = ref & house_slot_mask;
  if ((ref & house_bit) == 0 || slot >= house_.size())
    return nullptr;
  house_order& h = house_[slot];
  return h.m != nullptr && h.ref == ref ? &h : nullptr;
}

const exchange::house_order* exchange::house_find(std::uint64_t ref) const {
  return const_cast<exchange*>(this)->house_find(ref);
}

void exchange::house_release(house_order& h) {
  h.m = nullptr;
  house_free_.push_back(static_cast<std::uint32_t>(h.ref & house_slot_mask));
}

std::size_t exchange::market_index(std::string_view product_id) const {
  auto it = std::find(product_ids_.begin(), product_ids_.end(), product_id);
  return it == product_ids_.end() ? no_market : static_cast<std::size_t>(it - product_ids_.begin());
}

std::uint64_t exchange::house_add(std::string_view product_id, side s, price px, size qty, ts_ns now) {
  return house_add_at(market_index(product_id), s, px, qty, now);
}

std::uint64_t exchange::house_add_at(std::size_t market_at, side s, price px, size qty, ts_ns now) {
  market* m = market_at < market_list_.size() ? market_list_[market_at] : nullptr;
  if (m == nullptr || qty.units <= 0)
    return 0;
  taker t;
  t.s = s;
  t.limit = px;
  t.base_left = qty;
  if (m->book.crosses(s, px))  // the ladder's levels mostly rest without meeting anything
    match(*m, t, now);
  std::uint64_t ref = 0;
  if (t.base_left.units > 0) {
    std::uint64_t slot = 0;
    if (house_free_.empty()) {
      slot = house_.size();
      if (slot > house_slot_mask)
        throw std::length_error("simex exchange::house_add: more than 2^24 house orders resting at once");
      house_.emplace_back();
    } else {
      slot = house_free_.back();
      house_free_.pop_back();
    }
    ref = house_bit | (next_house_ref_++ << house_slot_bits) | slot;
    m->book.add(s, px, {ref, t.base_left});
    house_[slot] = house_order{m, ref, s, px, t.base_left};
  }
  flush(*m, now, t.traded);
  return ref;
}

void exchange::house_remove(std::uint64_t ref, ts_ns now) {
  house_order* h = house_find(ref);
  if (h == nullptr)
    return;
  market* m = h->m;
  m->book.remove(h->s, h->px, ref);
  house_release(*h);
  flush(*m, now, false);
}

void exchange::house_take(std::string_view product_id, side s, size qty, ts_ns now) {
  house_take_at(market_index(product_id), s, qty, now);
}

void exchange::house_take_at(std::size_t market_at, side s, size qty, ts_ns now) {
  market* m = market_at < market_list_.size() ? market_list_[market_at] : nullptr;
  if (m == nullptr || qty.units <= 0)
    return;
  taker t;
  t.s = s;
  t.base_left = qty;
  match(*m, t, now);
  flush(*m, now, t.traded);
}

std::uint64_t exchange::house_used_up(std::size_t market_at) const {
  return market_at < market_list_.size() ? market_list_[market_at]->house_used_up : 0;
}

size exchange::house_qty(std::uint64_t ref) const {
  const house_order* h = house_find(ref);
  return h == nullptr ? size{} : h->qty;
}

void exchange::print_trade(std::string_view product_id, price px, size qty, side maker_side, ts_ns now) {
  market* m = find_market(product_id);
  if (m == nullptr)
    return;
  trade_print tp{m->p.id, std::to_string(next_trade_id_++), px, qty, maker_side, now};
  m->stats.on_trade(tp);
  emit(std::move(tp));
  flush(*m, now, true);
}

} // namespace trader::simex
