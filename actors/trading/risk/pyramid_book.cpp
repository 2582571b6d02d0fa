#include "actors/trading/risk/pyramid_book.hpp"

#include "actors/trading/risk/calendar.hpp"
#include "actors/trading/risk/portfolio.hpp"

#include <nlohmann/json.hpp>

namespace trader::risk {

bool pyramid_book::opened(const product_id& p, size qty) {
  if (records_.count(p))
    return false;
  records_[p].initial_qty = qty;
  return true;
}

void pyramid_book::added(const product_id& p, price px, ts_ns now) {
  auto& r = records_[p];
  if (r.last_add_at == 0 || utc_day(r.last_add_at) != utc_day(now))
    r.adds_today = 0;
  ++r.adds;
  ++r.adds_today;
  r.last_add_at = now;
  r.last_entry = px;
}

bool pyramid_book::closed(const product_id& p) { return records_.erase(p) != 0; }

const pyramid_record* pyramid_book::find(const product_id& p) const {
  auto it = records_.find(p);
  return it == records_.end() ? nullptr : &it->second;
}

void pyramid_book::fill(position_view& v) const {
  const auto* r = find(v.product);
  if (!r)
    return;
  if (r->initial_qty.units > 0)
    v.initial_qty = r->initial_qty;
  v.adds = r->adds;
  v.adds_today = r->adds_today;
  v.last_add_at = r->last_add_at;
  v.last_entry = r->last_entry;
}

std::string pyramid_book::to_json() const {
  auto arr = nlohmann::json::array();
  for (const auto& [p, r] : records_)
    arr.push_back({{"product", p.value},
                   {"initial_qty", r.initial_qty.units},
                   {"adds", r.adds},
                   {"adds_today", r.adds_today},
                   {"last_add_at", r.last_add_at},
                   {"last_entry", r.last_entry.units}});
  return nlohmann::json{{"v", 1}, {"positions", arr}}.dump();
}

std::optional<pyramid_book> pyramid_book::from_json(std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1)
    return std::nullopt;
  try {
    pyramid_book b;
    for (const auto& e : j.at("positions")) {
      pyramid_record r;
      r.initial_qty = size{e.at("initial_qty").get<std::int64_t>()};
      r.adds = e.at("adds").get<std::int64_t>();
      r.adds_today = e.at("adds_today").get<std::int64_t>();
      r.last_add_at = e.at("last_add_at").get<ts_ns>();
      r.last_entry = price{e.at("last_entry").get<std::int64_t>()};
      if (r.adds < 0 || r.adds_today < 0 || r.initial_qty.units < 0)
        return std::nullopt;
      b.records_[product_id{e.at("product").get<std::string>()}] = r;
    }
    return b;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

} // namespace trader::risk
