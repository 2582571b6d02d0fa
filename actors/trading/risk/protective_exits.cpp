#include "actors/trading/risk/protective_exits.hpp"

#include "actors/trading/risk/fixed_math.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace trader::risk {

std::string_view name(exit_kind k) { return k == exit_kind::stop_loss ? "stop_loss" : "take_profit"; }

namespace {

// k × atr as a price (k from the policy, a ratio), rounded down.
price atr_distance(price atr, double k) { return price{scale_down(notional{atr.units}, ppm_from_ratio(k)).units}; }

// entry × pct / 100 as a price, rounded down.
price pct_distance(price entry, double pct) {
  return price{scale_down(notional{entry.units}, ppm_from_pct(pct)).units};
}

} // namespace

protected_position protect(const product_id& p, size qty, price entry, const exit_spec& spec, price atr, price tick) {
  protected_position pp;
  pp.product = p;
  pp.qty = qty;
  pp.entry = entry;
  const bool use_atr_stop = spec.stop_loss_atr > 0 && atr.units > 0;
  const bool use_atr_take = spec.take_profit_atr > 0 && atr.units > 0;
  const price stop_gap = use_atr_stop ? atr_distance(atr, spec.stop_loss_atr) : pct_distance(entry, spec.stop_loss_pct);
  if (stop_gap.units > 0 && stop_gap < entry)
    pp.stop = floor_or_same(entry - stop_gap, tick);
  const price take_gap =
    use_atr_take ? atr_distance(atr, spec.take_profit_atr) : pct_distance(entry, spec.take_profit_pct);
  if (take_gap.units > 0)
    pp.take = ceil_to(entry + take_gap, tick);
  return pp;
}

void protective_exits::arm(protected_position pp) {
  auto key = pp.product;
  positions_.insert_or_assign(std::move(key), std::move(pp));
}

void protective_exits::resize(const product_id& p, size qty) {
  auto it = positions_.find(p);
  if (it == positions_.end())
    return;
  if (qty.units <= 0) {
    positions_.erase(it);
    return;
  }
  it->second.qty = qty;
}

void protective_exits::disarm(const product_id& p) { positions_.erase(p); }

void protective_exits::exit_failed(const product_id& p) {
  auto it = positions_.find(p);
  if (it != positions_.end())
    it->second.exiting = false;
}

std::optional<exit_signal> protective_exits::on_quote(const quote& q, ts_ns now) {
  auto it = positions_.find(q.product);
  if (it == positions_.end())
    return std::nullopt;
  auto& pp = it->second;
  pp.last_quote = q.ts_recv != 0 ? q.ts_recv : now;
  if (pp.exiting || q.bid.units <= 0 || pp.qty.units <= 0)
    return std::nullopt;
  std::optional<exit_kind> kind;
  if (pp.stop.units > 0 && q.bid <= pp.stop)
    kind = exit_kind::stop_loss;
  else if (pp.take.units > 0 && q.bid >= pp.take)
    kind = exit_kind::take_profit;
  if (!kind)
    return std::nullopt;
  pp.exiting = true;
  exit_signal s;
  s.kind = *kind;
  auto& in = s.intent;
  in.proposal_id = std::string(name(*kind)) + ":" + pp.product.value;
  in.product = pp.product;
  in.dir = side::sell;
  in.type = order_type::market;
  in.tif = time_in_force::ioc;
  in.post_only = false;
  in.reduce_only = true;
  in.base_size = pp.qty;
  in.ts_created = now;
  in.origin_mono = q.origin_mono;  // the crossing quote's frame: tick_to_order
  in.origin_path = decision_path::exit;
  s.detail = std::string(name(*kind)) + ": product=" + pp.product.value + " bid=" + to_string(q.bid) +
             (*kind == exit_kind::stop_loss ? " stop=" + to_string(pp.stop) : " take=" + to_string(pp.take)) +
             " entry=" + to_string(pp.entry) + " qty=" + to_string(pp.qty);
  return s;
}

std::vector<product_id> protective_exits::stale(ts_ns now, std::int64_t max_age_ns) const {
  std::vector<product_id> out;
  for (const auto& [id, pp] : positions_)
    if (now - pp.last_quote > max_age_ns)
      out.push_back(id);
  return out;
}

const protected_position* protective_exits::find(const product_id& p) const {
  auto it = positions_.find(p);
  return it == positions_.end() ? nullptr : &it->second;
}

std::string protective_exits::to_json() const {
  auto arr = nlohmann::json::array();
  for (const auto& [id, pp] : positions_)
    arr.push_back({{"product", id.value},
                   {"qty", pp.qty.units},
                   {"entry", pp.entry.units},
                   {"stop", pp.stop.units},
                   {"take", pp.take.units},
                   {"exiting", pp.exiting},
                   {"last_quote", pp.last_quote}});
  return nlohmann::json{{"v", 1}, {"positions", arr}}.dump();
}

std::optional<protective_exits> protective_exits::from_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1)
    return std::nullopt;
  try {
    protective_exits x;
    for (const auto& e : j.at("positions")) {
      protected_position pp;
      pp.product = product_id{e.at("product").get<std::string>()};
      pp.qty = size{e.at("qty").get<std::int64_t>()};
      pp.entry = price{e.at("entry").get<std::int64_t>()};
      pp.stop = price{e.at("stop").get<std::int64_t>()};
      pp.take = price{e.at("take").get<std::int64_t>()};
      pp.exiting = e.at("exiting").get<bool>();
      pp.last_quote = e.at("last_quote").get<ts_ns>();
      x.arm(std::move(pp));
    }
    return x;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

} // namespace trader::risk
