#include "actors/trading/order_lifecycle/shadow_book.hpp"

#include <algorithm>

namespace trader::order_lifecycle {

namespace {

void add(shadow_side& s, price px, size qty, ts_ns at) {
  if (qty.units <= 0 || px.units <= 0)
    return;
  s.qty = s.qty + qty;
  s.value += px.to_double() * qty.to_double();
  if (s.first == 0 || (at != 0 && at < s.first))
    s.first = at;
}

double median(std::vector<double> v) {
  if (v.empty())
    return 0.0;
  std::sort(v.begin(), v.end());
  auto n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

} // namespace

double shadow_order::slippage_bps() const {
  double want = intended.avg(), got = actual.avg();
  if (want <= 0.0 || got <= 0.0)
    return 0.0;
  double diff = dir == side::buy ? got - want : want - got;
  return diff / want * 1e4;
}

void shadow_book::on_sent(const client_order_id& id, const product_id& product, side dir, size ordered, ts_ns at) {
  if (id.empty() || by_id_.count(id.value))
    return;
  shadow_order o;
  o.id = id;
  o.product = product;
  o.dir = dir;
  o.ordered = ordered;
  o.sent = at;
  by_id_.emplace(id.value, std::move(o));
  order_.push_back(id.value);
  while (order_.size() > max_) {
    by_id_.erase(order_.front());
    order_.pop_front();
  }
}

void shadow_book::on_intended_fill(const client_order_id& id, price px, size qty, ts_ns at) {
  if (auto it = by_id_.find(id.value); it != by_id_.end())
    add(it->second.intended, px, qty, at);
}

void shadow_book::on_actual_fill(const client_order_id& id, price px, size qty, ts_ns at) {
  if (auto it = by_id_.find(id.value); it != by_id_.end())
    add(it->second.actual, px, qty, at);
}

const shadow_order* shadow_book::find(const client_order_id& id) const {
  auto it = by_id_.find(id.value);
  return it == by_id_.end() ? nullptr : &it->second;
}

std::vector<shadow_order> shadow_book::orders() const {
  std::vector<shadow_order> out;
  out.reserve(order_.size());
  for (auto& id : order_)
    out.push_back(by_id_.at(id));
  return out;
}

shadow_summary shadow_book::summary() const {
  shadow_summary s;
  s.orders = by_id_.size();
  std::vector<double> slip, delay;
  double ratio = 0.0;
  for (auto& [id, o] : by_id_) {
    bool in = o.intended.qty.units > 0, act = o.actual.qty.units > 0;
    if (in && act) {
      ++s.compared;
      slip.push_back(o.slippage_bps());
      delay.push_back(static_cast<double>(o.actual.first - o.intended.first) / 1e6);
      ratio += o.actual.qty.to_double() / o.intended.qty.to_double();
    } else if (in) {
      ++s.only_intended;
    } else if (act) {
      ++s.only_actual;
    }
  }
  if (s.compared > 0) {
    double sum = 0.0;
    for (auto x : slip)
      sum += x;
    s.slippage_bps_mean = sum / static_cast<double>(s.compared);
    s.slippage_bps_median = median(slip);
    s.delay_ms_median = median(delay);
    s.size_ratio_mean = ratio / static_cast<double>(s.compared);
  }
  return s;
}

} // namespace trader::order_lifecycle
