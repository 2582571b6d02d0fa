#include "actors/trading/order_lifecycle/ledger.hpp"

#include "actors/trading/order_lifecycle/utc_buckets.hpp"

#include <algorithm>
#include <cstdint>
#include <tuple>

namespace trader::order_lifecycle {

namespace {

bool before(const booked_fill& a, const booked_fill& b) {
  return std::tie(a.key_ts, a.trade.value) < std::tie(b.key_ts, b.trade.value);
}

} // namespace

ledger_fill to_ledger_fill(const fill& f, bool size_in_quote) {
  ledger_fill out;
  out.trade = f.trade;
  out.order = f.order;
  out.product = f.product;
  out.dir = f.dir;
  out.px = f.px;
  out.qty = f.qty;
  out.size_in_quote = size_in_quote || f.size_in_quote;
  out.fee = f.fee;
  out.ts_event = f.ts_event;
  return out;
}

std::optional<size> base_size_of(const ledger_fill& f) {
  if (f.px.units <= 0)
    return std::nullopt;
  if (!f.size_in_quote)
    return f.qty;
  if (f.base_reported.units > 0)
    return f.base_reported;
  if (f.qty.units <= 0)
    return size{};
  // quote / px on 128 bits, to the nearest 1e-8, then to the nearest increment.
  const __int128 px2 = static_cast<__int128>(f.px.units) * 2;
  const __int128 units = (static_cast<__int128>(f.qty.units) * size::scale * 2 + f.px.units) / px2;
  if (units > INT64_MAX)
    return std::nullopt;
  std::int64_t base = static_cast<std::int64_t>(units);
  if (const std::int64_t inc = f.base_increment.units; inc > 1)
    base = (base + inc / 2) / inc * inc;
  return size{base};
}

ledger::ledger(ledger_options opts) : opts_(opts) {
  if (opts_.reorder_window_ns <= 0)
    opts_.reorder_window_ns = ledger_options{}.reorder_window_ns;
  if (opts_.max_pending == 0)
    opts_.max_pending = 1;
}

apply_result ledger::apply(const ledger_fill& f) {
  apply_result res;
  auto invalid = [&](std::string why) {
    res.outcome = apply_outcome::invalid;
    res.reason = "INVALID_FILL: " + std::move(why);
    return res;
  };
  if (f.trade.empty())
    return invalid("trade id empty");
  if (f.product.empty())
    return invalid("product empty");
  if (f.px.units <= 0)
    return invalid("px=" + to_string(f.px));
  if (f.qty.units <= 0)
    return invalid("qty=" + to_string(f.qty));
  if (f.fee_base.is_negative())
    return invalid("fee_base=" + to_string(f.fee_base));
  if (seen(f.trade)) {
    res.outcome = apply_outcome::duplicate;
    return res;
  }
  const auto base = base_size_of(f);
  if (!base)
    return invalid("px=" + to_string(f.px) + " qty=" + to_string(f.qty) + " out of range");
  if (base->units <= 0)
    return invalid("size_in_quote qty=" + to_string(f.qty) + " px=" + to_string(f.px) + " is below one base unit");

  // Cash moves by what the exchange debits or credits, whatever the order of arrival.
  const auto value = checked_mul(f.px, *base);
  const auto base_fee_value = checked_mul(f.px, f.fee_base);
  if (!value || !base_fee_value)
    return invalid("px=" + to_string(f.px) + " qty=" + to_string(f.qty) + " out of range");
  const notional gross = f.size_in_quote ? notional{f.qty.units} : *value;
  cash_ += f.dir == side::buy ? -(gross + f.fee) : gross - f.fee;

  booked_fill bf;
  bf.trade = f.trade;
  bf.order = f.order;
  bf.ts_event = f.ts_event;
  bf.px = f.px;
  bf.delta = f.dir == side::buy ? *base - f.fee_base : -(*base + f.fee_base);
  bf.fee = f.fee + *base_fee_value;

  auto& b = books_[f.product.value];
  bf.key_ts = f.ts_event;
  if (b.checkpoint_ts != 0 && f.ts_event < b.checkpoint_ts) {
    bf.key_ts = b.checkpoint_ts;
    res.beyond_window = true;
  }
  seen_.insert(f.trade);
  const bool at_end = b.pending.empty() || !before(bf, b.pending.back());
  if (at_end) {
    bf.realized = book_fill(b.current, bf.delta, bf.px, bf.fee, bf.ts_event);
    res.realized = bf.realized;
    b.pending.push_back(std::move(bf));
    add_to_buckets(f.ts_event, res.realized, b.pending.back().fee, 1);
  } else {
    res.reordered = true;
    auto at = std::upper_bound(b.pending.begin(), b.pending.end(), bf, before);
    const notional fee = bf.fee;
    auto it = b.pending.insert(at, std::move(bf));
    it->realized = notional{};  // replay() books the difference of every fill, this one included
    add_to_buckets(f.ts_event, notional{}, fee, 1);
    replay(b, it->trade, res);
    res.realized = it->realized;  // valid: replay does not reallocate the deque
  }
  fold(b);
  return res;
}

void ledger::replay(product_book& b, const trade_id& added, apply_result& res) {
  position p = b.checkpoint;
  for (auto& bf : b.pending) {
    const notional r = book_fill(p, bf.delta, bf.px, bf.fee, bf.ts_event);
    if (r != bf.realized) {
      add_to_buckets(bf.ts_event, r - bf.realized, notional{}, 0);
      if (bf.trade != added)
        res.restated.emplace_back(bf.ts_event, r - bf.realized);
      bf.realized = r;
    }
  }
  b.current = p;
}

void ledger::fold(product_book& b) {
  const ts_ns newest = b.pending.empty() ? 0 : b.pending.back().key_ts;
  while (!b.pending.empty() &&
         (b.pending.size() > opts_.max_pending || b.pending.front().key_ts < newest - opts_.reorder_window_ns)) {
    auto& bf = b.pending.front();
    book_fill(b.checkpoint, bf.delta, bf.px, bf.fee, bf.ts_event);
    b.checkpoint_ts = std::max(b.checkpoint_ts, bf.key_ts);
    remember_folded(b, bf.trade);
    b.pending.pop_front();
  }
}

void ledger::remember_folded(product_book& b, const trade_id& t) {
  b.folded.push_back(t);
  while (b.folded.size() > opts_.folded_trade_ids) {
    seen_.erase(b.folded.front());
    b.folded.pop_front();
  }
}

void ledger::add_to_buckets(ts_ns t, notional realized, notional fees, std::int64_t fills) {
  for (const auto& key : {day_bucket_key(t), week_bucket_key(t), std::string{total_bucket_key}}) {
    auto& bucket = buckets_[key];
    bucket.realized += realized;
    bucket.fees += fees;
    bucket.fills += fills;
  }
}

const position* ledger::find(const product_id& p) const {
  auto it = books_.find(p.value);
  return it == books_.end() ? nullptr : &it->second.current;
}

std::map<std::string, position> ledger::positions() const {
  std::map<std::string, position> out;
  for (const auto& [k, b] : books_)
    out.emplace(k, b.current);
  return out;
}

pnl_totals ledger::day(ts_ns t) const {
  auto it = buckets_.find(day_bucket_key(t));
  return it == buckets_.end() ? pnl_totals{} : it->second;
}

pnl_totals ledger::week(ts_ns t) const {
  auto it = buckets_.find(week_bucket_key(t));
  return it == buckets_.end() ? pnl_totals{} : it->second;
}

pnl_totals ledger::total() const {
  auto it = buckets_.find(total_bucket_key);
  return it == buckets_.end() ? pnl_totals{} : it->second;
}

nav_mark_result ledger::mark(const std::unordered_map<product_id, price>& marks, ts_ns now) {
  nav_mark_result out;
  notional nav = cash_;
  for (const auto& [k, b] : books_) {
    if (b.current.flat())
      continue;
    auto it = marks.find(product_id{k});
    if (it == marks.end()) {
      out.unmarked.push_back(product_id{k});
      continue;
    }
    nav += it->second * b.current.qty;
  }
  out.high_water = hwm_;
  if (!out.ok())
    return out;
  out.nav = nav;
  if (!hwm_set_ || nav > hwm_) {
    hwm_set_ = true;
    out.new_high = true;
    hwm_ = nav;
    hwm_at_ = now;
  }
  out.high_water = hwm_;
  if (hwm_.units > 0 && nav < hwm_)
    out.drawdown_pct = (hwm_ - nav).to_double() / hwm_.to_double() * 100.0;
  return out;
}

} // namespace trader::order_lifecycle
