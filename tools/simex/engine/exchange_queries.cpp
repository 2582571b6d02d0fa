// Read-only side of exchange: lookups, listings with cursors, preview, fee tier.

#include "tools/simex/engine/exchange.hpp"

#include "tools/simex/engine/exchange_internal.hpp"

#include <algorithm>
#include <charconv>

namespace trader::simex {

namespace {

std::uint64_t parse_cursor(std::string_view c) {
  std::uint64_t v = UINT64_MAX;
  if (!c.empty()) {
    std::uint64_t parsed = 0;
    auto [p, ec] = std::from_chars(c.data(), c.data() + c.size(), parsed);
    if (ec == std::errc{} && p == c.data() + c.size())
      v = parsed;
  }
  return v;
}

template <class T>
bool any_of_or_empty(const std::vector<T>& allowed, const T& v) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), v) != allowed.end();
}

/// A filter the request gave (`given`) matches only its values, even when none of them is one
/// simex has (then nothing); one it did not give matches everything.
template <class T>
bool any_of_given(const std::vector<T>& allowed, bool given, const T& v) {
  return given ? std::find(allowed.begin(), allowed.end(), v) != allowed.end() : any_of_or_empty(allowed, v);
}

/// Newest-first page over seqs (ascending) of records; get(seq) resolves, keep filters.
template <class T, class Get, class Keep>
page<T> paginate(const std::vector<std::uint64_t>* seqs, std::string_view cursor, std::size_t limit, Get get,
                 Keep keep) {
  page<T> out;
  if (seqs == nullptr)
    return out;
  if (limit == 0)
    limit = 1;
  const std::uint64_t from = parse_cursor(cursor);
  auto it = std::upper_bound(seqs->begin(), seqs->end(), from);
  while (it != seqs->begin()) {
    --it;
    const T& rec = get(*it);
    if (!keep(rec))
      continue;
    if (out.items.size() == limit) {
      out.has_next = true;
      out.cursor = std::to_string(*it);
      break;
    }
    out.items.push_back(&rec);
  }
  return out;
}

} // namespace

const order_record* exchange::find_order(std::string_view user, std::string_view order_id) const {
  auto it = by_order_id_.find(std::string{order_id});
  if (it == by_order_id_.end())
    return nullptr;
  const order_record& o = orders_[it->second - 1];
  return o.req.user == user ? &o : nullptr;
}

const order_record* exchange::find_by_client_id(std::string_view user, std::string_view client_order_id) const {
  std::string key{user};
  key.push_back('\n');
  key.append(client_order_id);
  auto it = by_client_id_.find(key);
  return it == by_client_id_.end() ? nullptr : &orders_[it->second - 1];
}

page<order_record> exchange::list_orders(const order_filter& f, std::string_view cursor, std::size_t limit) const {
  auto it = user_orders_.find(f.user);
  return paginate<order_record>(
    it == user_orders_.end() ? nullptr : &it->second, cursor, limit,
    [&](std::uint64_t seq) -> const order_record& { return orders_[seq - 1]; },
    [&](const order_record& o) {
      return any_of_or_empty(f.product_ids, o.req.product_id) && any_of_or_empty(f.order_ids, o.order_id)
             && any_of_given(f.statuses, f.statuses_given, o.status)
             && any_of_given(f.kinds, f.kinds_given, o.req.kind)
             && (!f.order_side || *f.order_side == o.req.order_side) && (f.start == 0 || o.created >= f.start)
             && (f.end == 0 || o.created < f.end);
    });
}

page<fill_record> exchange::list_fills(const fill_filter& f, std::string_view cursor, std::size_t limit) const {
  auto it = user_fills_.find(f.user);
  const std::uint64_t first_seq = fills_.empty() ? 1 : fills_.front().seq;
  return paginate<fill_record>(
    it == user_fills_.end() ? nullptr : &it->second, cursor, limit,
    [&](std::uint64_t seq) -> const fill_record& { return fills_[seq - first_seq]; },
    [&](const fill_record& x) {
      return any_of_or_empty(f.product_ids, x.product_id) && any_of_or_empty(f.order_ids, x.order_id)
             && any_of_or_empty(f.trade_ids, x.trade_id) && (f.start == 0 || x.time >= f.start)
             && (f.end == 0 || x.time < f.end);
    });
}

std::vector<const order_record*> exchange::open_orders(std::string_view user) const {
  std::vector<const order_record*> out;
  auto it = user_orders_.find(std::string{user});
  if (it == user_orders_.end())
    return out;
  for (auto seq : it->second)
    if (orders_[seq - 1].status == order_status::open)
      out.push_back(&orders_[seq - 1]);
  return out;
}

const order_book* exchange::book(std::string_view product_id) const {
  auto* m = find_market(product_id);
  return m == nullptr ? nullptr : &m->book;
}

const market_stats* exchange::stats(std::string_view product_id) const {
  auto* m = find_market(product_id);
  return m == nullptr ? nullptr : &m->stats;
}

market_stats* exchange::stats(std::string_view product_id) {
  auto* m = find_market(product_id);
  return m == nullptr ? nullptr : &m->stats;
}

std::uint64_t exchange::book_sequence(std::string_view product_id) const {
  auto* m = find_market(product_id);
  return m == nullptr ? 0 : m->seq;
}

notional exchange::volume_30d(std::string_view user, ts_ns now) const {
  auto it = volume_.find(std::string{user});
  if (it == volume_.end())
    return notional{};
  notional sum = it->second.usd;
  for (const auto& v : it->second.entries) {
    if (v.time > now - fee_window)
      break;
    sum -= v.usd;
  }
  return sum;
}

fee_summary exchange::fees_of(std::string_view user, ts_ns now) const {
  fee_summary s;
  s.volume_30d = volume_30d(user, now);
  s.tier = &cfg_.fees.tier_for(s.volume_30d);
  auto it = volume_.find(std::string{user});
  if (it != volume_.end()) {
    s.fees_30d = it->second.fee;
    for (const auto& v : it->second.entries) {
      if (v.time > now - fee_window)
        break;
      s.fees_30d -= v.fee;
    }
  }
  return s;
}

preview_result exchange::preview(const order_request& req, ts_ns now) const {
  preview_result out;
  const market* m = find_market(req.product_id);
  if (m == nullptr) {
    out.why = reject{"INVALID_PRODUCT_ID", "PREVIEW_INVALID_PRODUCT_ID", "unknown product " + req.product_id};
    return out;
  }
  order_request r = req;
  amount hold;
  out.why = validate(r, *m, now, hold);
  out.best_bid = m->book.best(side::buy).value_or(price{});
  out.best_ask = m->book.best(side::sell).value_or(price{});
  if (out.why)
    return out;
  const fee_tier& tier = cfg_.fees.tier_for(volume_30d(r.user, now));
  std::optional<price> limit;
  if (r.kind != order_kind::market_ioc)
    limit = r.limit_price;
  auto w = walk_book(m->book, r.order_side, limit, r.base_size, r.quote_size, tier.taker, m->p.base_increment);
  out.base_size = w.base;
  out.quote_size = w.quote;
  notional commission = apply_rate(w.quote, tier.taker);
  if (limit && r.base_size && w.base < *r.base_size) {  // the rest would rest as maker
    notional resting = *limit * (*r.base_size - w.base);
    commission += apply_rate(resting, tier.maker);
    out.base_size = *r.base_size;
    out.quote_size += resting;
  }
  out.commission_total = commission;
  out.order_total = r.order_side == side::buy ? out.quote_size + commission : out.quote_size - commission;
  if (!w.base.is_zero())
    out.average_price = price::from_units(detail::div_units(w.quote.units, w.base.units).value_or(0));
  return out;
}

} // namespace trader::simex
